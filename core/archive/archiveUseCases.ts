import { Clock, Effect, Option } from "effect"
import type { User } from "../accounts/User.ts"
import { NotFound } from "../kernel/errors.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { ArchiveRepository } from "../ports/ArchiveRepository.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { myContracts } from "../contracts/access.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { TrustList } from "../ports/TrustList.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { untrusted, workRefusedMessage } from "../ports/UntrustedWork.ts"
import { visibleContract } from "../contracts/store.ts"
import { Folder, LocalUpload, type ArchiveItem, type ItemKey } from "./Archive.ts"
import { ArchiveItemNotDeletable, FolderNameTaken, FolderNotEmpty, UploadNotPdf } from "./ArchiveErrors.ts"

/**
 * M1-M2 我的合同: every completed contract the user initiated or signed, plus
 * their local uploads, each in at most one of their folders.
 */
export const listArchive = Effect.fn("archive.list")(function*(user: User) {
  const archive = yield* ArchiveRepository
  const users = yield* UserRepository
  const blobs = yield* BlobStore
  const contracts = yield* myContracts(user, { status: ["completed"], limit: 10_000, offset: 0 })
  const placed = yield* archive.placements(user.id)
  const names = new Map<string, string>()
  const creatorName = (id: string) =>
    names.has(id) ? Effect.succeed(names.get(id)!) : Effect.map(users.findById(id as User["id"]), (u) => {
      const name = Option.match(u, { onNone: () => "—", onSome: (x) => x.name ?? x.mobile })
      names.set(id, name)
      return name
    })
  const items: Array<ArchiveItem> = []
  for (const c of contracts.items) {
    const key: ItemKey = `c:${c.id}`
    // The signed document's size (the blob store knows it without reading the file; issue 17: not "—").
    const size = Option.getOrNull(yield* blobs.size(c.documentSha256))
    items.push({ key, kind: "platform", name: c.name, creator: yield* creatorName(c.initiatorUserId), createdAt: c.createdAt, size, folderId: placed.get(key) ?? null, deletable: false })
  }
  for (const u of yield* archive.uploads(user.id)) {
    const key: ItemKey = `u:${u.id}`
    items.push({ key, kind: "local", name: u.name, creator: user.name ?? user.mobile, createdAt: u.createdAt, size: u.size, folderId: placed.get(key) ?? null, deletable: true })
  }
  items.sort((a, b) => b.createdAt - a.createdAt)
  const folders = yield* archive.folders(user.id)
  return { items, folders }
})

export const createFolder = Effect.fn("archive.createFolder")(function*(user: User, name: string) {
  const folder = new Folder({ id: yield* (yield* IdGenerator).next, ownerUserId: user.id, name, createdAt: yield* Clock.currentTimeMillis })
  if (!(yield* (yield* ArchiveRepository).insertFolder(folder))) return yield* new FolderNameTaken()
  return folder
})

const ownFolder = (user: User, id: NumericId) =>
  Effect.flatMap(ArchiveRepository.use((a) => a.folders(user.id)), (fs) =>
    fs.some((f) => f.id === id) ? Effect.void : Effect.fail(new NotFound({ entity: "folder", id })))

export const renameFolder = Effect.fn("archive.renameFolder")(function*(user: User, id: NumericId, name: string) {
  yield* ownFolder(user, id)
  if (!(yield* (yield* ArchiveRepository).renameFolder(user.id, id, name))) return yield* new FolderNameTaken()
})

/** M2: a folder is deleted only when empty. */
export const deleteFolder = Effect.fn("archive.deleteFolder")(function*(user: User, id: NumericId) {
  yield* ownFolder(user, id)
  const inside = [...(yield* (yield* ArchiveRepository).placements(user.id)).values()].filter((f) => f === id).length
  if (inside > 0) return yield* new FolderNotEmpty({ items: inside })
  yield* (yield* ArchiveRepository).deleteFolder(user.id, id)
})

/** The item must be the user's: a completed contract they can see, or their own upload. */
const ownItem = (user: User, key: string) =>
  Effect.gen(function*() {
    const [kind, id] = key.split(":") as [string, NumericId]
    if (kind === "c") {
      const c = yield* visibleContract(id, user)
      if (c.status !== "completed") return yield* new NotFound({ entity: "archive item", id: key })
      return "platform" as const
    }
    if (kind === "u") {
      const u = yield* (yield* ArchiveRepository).findUpload(id)
      if (Option.isNone(u) || u.value.ownerUserId !== user.id) return yield* new NotFound({ entity: "archive item", id: key })
      return "local" as const
    }
    return yield* new NotFound({ entity: "archive item", id: key })
  })

export const moveItem = Effect.fn("archive.move")(function*(user: User, key: string, folderId: NumericId | null) {
  yield* ownItem(user, key)
  if (folderId !== null) yield* ownFolder(user, folderId)
  yield* (yield* ArchiveRepository).place(user.id, key, folderId)
})

/** M4: only local uploads can be deleted. */
export const deleteItem = Effect.fn("archive.delete")(function*(user: User, key: string) {
  if ((yield* ownItem(user, key)) === "platform") return yield* new ArchiveItemNotDeletable()
  const archive = yield* ArchiveRepository
  yield* archive.place(user.id, key, null)
  yield* archive.deleteUpload(user.id, key.slice(2) as NumericId)
})

/**
 * M3 上传本地合同: keeps a contract signed elsewhere and checks every
 * signature in it with the signing engine against the platform's trust list.
 */
export const uploadLocalContract = Effect.fn("archive.upload")(function*(user: User, name: string, pdf: Uint8Array) {
  // Checked off the request thread: a hostile file costs a worker, not the server.
  const checked = yield* untrusted("pdf.verify", { pdf, trust: (yield* TrustList).roots }).pipe(
    Effect.mapError((e) => new UploadNotPdf({ reason: workRefusedMessage(e) })),
  )
  if (!checked.ok) return yield* new UploadNotPdf({ reason: checked.reason })
  const report = checked.report
  const upload = new LocalUpload({
    id: yield* (yield* IdGenerator).next,
    ownerUserId: user.id,
    name,
    sha256: yield* (yield* BlobStore).put(pdf),
    size: pdf.length,
    createdAt: yield* Clock.currentTimeMillis,
    allValid: report.signatures.length > 0 && report.valid,
    verdict: report.verdict,
    changes: [
      ...report.revisions.flatMap((r) => r.changes.flatMap((c) => (c.allowed ? [] : [`第 ${r.number} 版：${c.zh}`]))),
      ...report.removedSignatures.map((x) => `签名“${x.field}”已从文档中删除`),
      ...(report.uncoveredBytes > 0 ? [`文件末尾有 ${report.uncoveredBytes} 字节未被任何签名覆盖`] : []),
    ],
    signatures: report.signatures.map((s) => ({
      field: s.field,
      signer: s.signer ?? "—",
      valid: s.valid,
      problems: Object.entries(s.checks).flatMap(([name, c]) => (c === undefined || c.ok ? [] : [`${name}: ${c.detail}`])),
    })),
  })
  yield* (yield* ArchiveRepository).insertUpload(upload)
  return upload
})
