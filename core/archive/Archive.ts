import { Schema } from "effect"
import { NumericId, UserId } from "../kernel/Ids.ts"
import { Millis } from "../accounts/User.ts"

/** M2: a user's folder for classifying archived contracts. */
export class Folder extends Schema.Class<Folder>("Folder")({
  id: NumericId,
  ownerUserId: UserId,
  name: Schema.String,
  createdAt: Millis,
}) {}

export const FolderName = Schema.String.pipe(
  Schema.check(Schema.isTrimmed({ message: "folder.trim" }), Schema.isBetweenLength(1, 30, { message: "folder.length" })),
)

/** One signature's line in the report shown for an uploaded contract (M3). */
export const SignatureSummary = Schema.Struct({
  field: Schema.String,
  signer: Schema.String,
  valid: Schema.Boolean,
  problems: Schema.Array(Schema.String),
})
export type SignatureSummary = typeof SignatureSummary.Type

/** M3 上传本地合同: a contract signed elsewhere, kept with its verification report. */
export class LocalUpload extends Schema.Class<LocalUpload>("LocalUpload")({
  id: NumericId,
  ownerUserId: UserId,
  name: Schema.String,
  sha256: Schema.String,
  size: Schema.Int,
  createdAt: Millis,
  allValid: Schema.Boolean,
  signatures: Schema.Array(SignatureSummary),
}) {}

/** Archive items are keyed `c:<contract number>` (signed here) or `u:<upload id>` (local). */
export type ItemKey = `c:${string}` | `u:${string}`

export interface ArchiveItem {
  readonly key: ItemKey
  readonly kind: "platform" | "local"
  readonly name: string
  readonly creator: string
  readonly createdAt: number
  readonly size: number | null
  readonly folderId: string | null
  /** M4: only local uploads can be deleted. */
  readonly deletable: boolean
}
