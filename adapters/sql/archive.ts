import { Effect, Layer, Option, Schema } from "effect"
import { Folder, LocalUpload, SignatureSummary, UploadCheck } from "../../core/archive/Archive.ts"
import { ArchiveRepository } from "../../core/ports/ArchiveRepository.ts"
import { atomicallyOn, Database, decodeRow, queryOn } from "./Database.ts"
import type { ArchiveUploadsTable } from "./schema.ts"

const toFolder = decodeRow(Folder, "archive_folders")
const toUploadRow = decodeRow(LocalUpload, "archive_uploads")
/**
 * signatures_json holds { signatures, verdict, changes }; rows written before
 * verdicts existed hold the bare signature list (their verdict is derived).
 */
const ReportJson = Schema.fromJsonString(Schema.Struct({ signatures: Schema.Array(SignatureSummary), ...UploadCheck.fields }))
const LegacyJson = Schema.fromJsonString(Schema.Array(SignatureSummary))

const reportOf = (r: ArchiveUploadsTable) => {
  const legacy = Schema.decodeUnknownOption(LegacyJson)(r.signatures_json)
  if (legacy._tag === "None") return JSON.parse(r.signatures_json) as unknown as object
  const signatures = legacy.value
  return { signatures, verdict: signatures.length === 0 ? "unsigned" : r.all_valid === 1 ? "unchanged" : "invalid", changes: [] }
}

const toUpload = (r: ArchiveUploadsTable) =>
  toUploadRow({
    id: r.id, ownerUserId: r.owner_user_id, name: r.name, sha256: r.sha256, size: r.size, createdAt: r.created_at,
    allValid: r.all_valid === 1, ...reportOf(r),
  })

const inserted = (r: { numInsertedOrUpdatedRows?: bigint | undefined }) => Number(r.numInsertedOrUpdatedRows ?? 0n) === 1

export const layerArchiveRepository = Layer.effect(
  ArchiveRepository,
  Effect.gen(function*() {
    const { db } = yield* Database
    const q = queryOn(db)
    const atomically = atomicallyOn(db)
    return {
      folders: (owner) =>
        q("archive.folders", (d) => d.selectFrom("archive_folders").selectAll().where("owner_user_id", "=", owner).orderBy("created_at").execute()).pipe(
          Effect.flatMap((rows) => Effect.forEach(rows, (r) => toFolder({ id: r.id, ownerUserId: r.owner_user_id, name: r.name, createdAt: r.created_at }))),
        ),
      insertFolder: (f) =>
        q("archive.insertFolder", (d) =>
          d.insertInto("archive_folders").values({ id: f.id, owner_user_id: f.ownerUserId, name: f.name, created_at: f.createdAt })
            .onConflict((oc) => oc.doNothing()).executeTakeFirst()).pipe(Effect.map(inserted)),
      renameFolder: (owner, id, name) =>
        q("archive.renameFolder", async (d) => {
          const clash = await d.selectFrom("archive_folders").select("id").where("owner_user_id", "=", owner).where("name", "=", name).where("id", "<>", id).executeTakeFirst()
          if (clash !== undefined) return false
          await d.updateTable("archive_folders").set({ name }).where("owner_user_id", "=", owner).where("id", "=", id).execute()
          return true
        }),
      deleteFolder: (owner, id) =>
        q("archive.deleteFolder", (d) => d.deleteFrom("archive_folders").where("owner_user_id", "=", owner).where("id", "=", id).execute()).pipe(Effect.asVoid),
      uploads: (owner) =>
        q("archive.uploads", (d) => d.selectFrom("archive_uploads").selectAll().where("owner_user_id", "=", owner).execute()).pipe(
          Effect.flatMap((rows) => Effect.forEach(rows, toUpload)),
        ),
      findUpload: (id) =>
        q("archive.findUpload", (d) => d.selectFrom("archive_uploads").selectAll().where("id", "=", id).executeTakeFirst()).pipe(
          Effect.flatMap((r) => (r === undefined ? Effect.succeedNone : Effect.map(toUpload(r), Option.some))),
        ),
      insertUpload: (u) =>
        q("archive.insertUpload", (d) =>
          d.insertInto("archive_uploads").values({
            id: u.id, owner_user_id: u.ownerUserId, name: u.name, sha256: u.sha256, size: u.size, created_at: u.createdAt,
            all_valid: u.allValid ? 1 : 0, signatures_json: Schema.encodeSync(ReportJson)({ signatures: u.signatures, verdict: u.verdict, changes: u.changes }),
          }).execute()).pipe(Effect.asVoid),
      deleteUpload: (owner, id) =>
        q("archive.deleteUpload", (d) => d.deleteFrom("archive_uploads").where("owner_user_id", "=", owner).where("id", "=", id).execute()).pipe(Effect.asVoid),
      placements: (owner) =>
        q("archive.placements", (d) => d.selectFrom("archive_placements").selectAll().where("owner_user_id", "=", owner).execute()).pipe(
          Effect.map((rows) => new Map(rows.map((r) => [r.item_key, r.folder_id]))),
        ),
      place: (owner, itemKey, folderId) =>
        atomically("archive.place", async (d) => {
          await d.deleteFrom("archive_placements").where("owner_user_id", "=", owner).where("item_key", "=", itemKey).execute()
          if (folderId !== null) await d.insertInto("archive_placements").values({ owner_user_id: owner, item_key: itemKey, folder_id: folderId }).execute()
        }),
    }
  }),
)
