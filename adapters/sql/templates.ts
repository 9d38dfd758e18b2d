import { Effect, Layer, Schema } from "effect"
import { OrgTemplate } from "../../core/contracts/OrgTemplate.ts"
import { TemplateRepository } from "../../core/ports/TemplateRepository.ts"
import { Database, decodeRow, queryOn } from "./Database.ts"
import type { ContractTemplatesTable } from "./schema.ts"

/** A row's JSON columns parsed (a malformed one fails the decode), then the whole decoded as the entity. */
const Row = Schema.Struct({
  roles_json: Schema.fromJsonString(Schema.Unknown),
  fields_json: Schema.fromJsonString(Schema.Unknown),
  boxes_json: Schema.fromJsonString(Schema.Unknown),
  pages_json: Schema.fromJsonString(Schema.Unknown),
})
const toTemplate = (r: ContractTemplatesTable) =>
  decodeRow(Row, "templates.row")(r).pipe(Effect.flatMap((json) =>
    decodeRow(OrgTemplate, "templates")({
      id: r.id, enterpriseId: r.enterprise_id, name: r.name, roles: json.roles_json, fields: json.fields_json, boxes: json.boxes_json,
      pages: json.pages_json, documentSha256: r.document_sha256, createdBy: r.created_by, createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at), deletedAt: r.deleted_at === null ? null : Number(r.deleted_at),
    })))

const columns = (t: OrgTemplate) => ({
  name: t.name,
  roles_json: JSON.stringify(t.roles),
  fields_json: JSON.stringify(t.fields),
  boxes_json: JSON.stringify(t.boxes),
  updated_at: t.updatedAt,
  deleted_at: t.deletedAt,
})

export const layerTemplateRepository = Layer.effect(
  TemplateRepository,
  Effect.gen(function*() {
    const { db } = yield* Database
    const q = queryOn(db)
    return {
      ofEnterprise: (enterpriseId) =>
        q("templates.ofEnterprise", (d) =>
          d.selectFrom("contract_templates").selectAll().where("enterprise_id", "=", enterpriseId).where("deleted_at", "is", null)
            .orderBy("created_at", "desc").orderBy("id", "desc").execute()).pipe(Effect.flatMap((rows) => Effect.forEach(rows, toTemplate))),
      find: (enterpriseId, id) =>
        q("templates.find", (d) =>
          d.selectFrom("contract_templates").selectAll().where("enterprise_id", "=", enterpriseId).where("id", "=", id).executeTakeFirst()).pipe(
          Effect.flatMap((r) => (r === undefined ? Effect.succeedNone : Effect.asSome(toTemplate(r)))),
        ),
      insert: (t) =>
        q("templates.insert", (d) =>
          d.insertInto("contract_templates").values({
            id: t.id, enterprise_id: t.enterpriseId, document_sha256: t.documentSha256, pages_json: JSON.stringify(t.pages),
            created_by: t.createdBy, created_at: t.createdAt, ...columns(t),
          }).execute()).pipe(Effect.asVoid),
      update: (t) =>
        q("templates.update", (d) =>
          d.updateTable("contract_templates").set(columns(t)).where("enterprise_id", "=", t.enterpriseId).where("id", "=", t.id).executeTakeFirst()).pipe(
          Effect.map((r) => Number(r.numUpdatedRows) === 1),
        ),
    }
  }),
)
