import { Context, type Effect, type Option } from "effect"
import type { Folder, LocalUpload } from "../archive/Archive.ts"
import type { RepositoryError } from "../kernel/errors.ts"
import type { NumericId, UserId } from "../kernel/Ids.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

export class ArchiveRepository extends Context.Service<ArchiveRepository, {
  readonly folders: (owner: UserId) => Op<ReadonlyArray<Folder>>
  /** False when the owner already has a folder with that name. */
  readonly insertFolder: (folder: Folder) => Op<boolean>
  readonly renameFolder: (owner: UserId, id: NumericId, name: string) => Op<boolean>
  readonly deleteFolder: (owner: UserId, id: NumericId) => Op<void>
  readonly uploads: (owner: UserId) => Op<ReadonlyArray<LocalUpload>>
  readonly findUpload: (id: NumericId) => Op<Option.Option<LocalUpload>>
  readonly insertUpload: (upload: LocalUpload) => Op<void>
  readonly deleteUpload: (owner: UserId, id: NumericId) => Op<void>
  /** item key -> folder id, for the owner's placed items. */
  readonly placements: (owner: UserId) => Op<ReadonlyMap<string, string>>
  /** Puts an item in a folder (null: back to no folder). */
  readonly place: (owner: UserId, itemKey: string, folderId: NumericId | null) => Op<void>
}>()("core/ports/ArchiveRepository") {}
