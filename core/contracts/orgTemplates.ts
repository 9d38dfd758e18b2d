/**
 * 模板: an enterprise keeps its own contract templates. The admin uploads a
 * PDF once with its signing roles (甲方 / 乙方 ...), then places fill-in
 * fields (text, date, checkbox) and each role's signing boxes; every member
 * who may initiate contracts for the enterprise sees and uses them
 * (initiateFromTemplate.ts). Each write leaves evidence.
 */
import { Clock, Effect, Option } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { NotFound } from "../kernel/errors.ts"
import type { UserId } from "../kernel/Ids.ts"
import { ensureCan, headOffice, resourceAt, type OrgScope } from "../organizations/orgScope.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { TemplateRepository } from "../ports/TemplateRepository.ts"
import { TemplateLayoutInvalid } from "./ContractErrors.ts"
import { checkDocument } from "./createContract.ts"
import { isInside } from "./fieldPlacement.ts"
import { OrgTemplate, type OrgTemplateId, type TemplateBox, type TemplateFillField } from "./OrgTemplate.ts"

const kindLabel = { text: "文本", date: "日期", checkbox: "勾选", signature: "签名", seal: "印章" } as const

/** Why fields and boxes cannot be used on this template, or null. */
export const layoutProblem = (t: Pick<OrgTemplate, "pages" | "roles">, fields: ReadonlyArray<TemplateFillField>, boxes: ReadonlyArray<TemplateBox>): string | null => {
  const keys = new Set<string>()
  for (const [i, f] of fields.entries()) {
    const what = `第 ${i + 1} 个填写项（${f.label}）`
    if (keys.has(f.key)) return `${what}的名称与其他填写项重复`
    keys.add(f.key)
    const page = t.pages[f.page - 1]
    if (page === undefined) return `${what}在第 ${f.page} 页，文件只有 ${t.pages.length} 页`
    if (!isInside(page, f)) return `${what}超出第 ${f.page} 页的范围`
  }
  for (const [i, b] of boxes.entries()) {
    const what = `第 ${i + 1} 个签署位置（${b.kind === "date" ? "日期" : kindLabel[b.kind]}）`
    if (b.role >= t.roles.length) return `${what}不属于任何签署角色`
    const page = t.pages[b.page - 1]
    if (page === undefined) return `${what}在第 ${b.page} 页，文件只有 ${t.pages.length} 页`
    if (!isInside(page, b)) return `${what}超出第 ${b.page} 页的范围`
  }
  return null
}

const event = (type: "template.created" | "template.updated" | "template.deleted", scope: OrgScope) => (t: OrgTemplate) => ({
  type, subjectId: t.id, role: "member", actor: scope.member.userId,
  data: { enterpriseId: t.enterpriseId, name: t.name, roles: t.roles.length, fields: t.fields.length, boxes: t.boxes.length },
})

/** Uploads a template's PDF with its roles (checked off the request thread like a contract); fields come next. */
export const createOrgTemplate = Effect.fn("templates.create")(function*(scope: OrgScope, input: { readonly name: string; readonly roles: ReadonlyArray<string>; readonly pdf: Uint8Array }) {
  yield* ensureCan(scope, "template.manage", headOffice(scope))
  const pages = yield* checkDocument(input.pdf)
  const sha = yield* (yield* BlobStore).put(input.pdf)
  const now = yield* Clock.currentTimeMillis
  const template = new OrgTemplate({
    id: (yield* (yield* IdGenerator).next) as string as OrgTemplateId,
    enterpriseId: scope.org.enterpriseId, name: input.name, roles: [...input.roles], fields: [], boxes: [],
    documentSha256: sha, pages: pages.map((p) => ({ x: p.x, y: p.y, width: p.width, height: p.height })),
    createdBy: scope.member.userId as UserId, createdAt: now, updatedAt: now, deletedAt: null,
  })
  yield* withEvidence((yield* TemplateRepository).insert(template), () => event("template.created", scope)(template))
  return template
})

/** A live template of the scope's enterprise for a member who may initiate there; anything else is "not found". */
export const usableTemplate = Effect.fn("templates.usable")(function*(scope: OrgScope, id: string) {
  yield* ensureCan(scope, "contract.initiate", resourceAt(scope))
  const found = yield* (yield* TemplateRepository).find(scope.org.enterpriseId, id)
  if (Option.isNone(found) || found.value.deletedAt !== null) return yield* new NotFound({ entity: "template", id })
  return found.value
})

/** The enterprise's templates, for members who may initiate contracts. */
export const orgTemplates = Effect.fn("templates.list")(function*(scope: OrgScope) {
  yield* ensureCan(scope, "contract.initiate", resourceAt(scope))
  return yield* (yield* TemplateRepository).ofEnterprise(scope.org.enterpriseId)
})

/** Places the template's fill-in fields and signing boxes (replacing the previous ones) and may rename it. */
export const layOutOrgTemplate = Effect.fn("templates.layOut")(function*(scope: OrgScope, id: string, input: { readonly name: string; readonly fields: ReadonlyArray<TemplateFillField>; readonly boxes: ReadonlyArray<TemplateBox> }) {
  yield* ensureCan(scope, "template.manage", headOffice(scope))
  const current = yield* usableTemplate(scope, id)
  const problem = layoutProblem(current, input.fields, input.boxes)
  if (problem !== null) return yield* new TemplateLayoutInvalid({ reason: problem })
  const next = new OrgTemplate({ ...current, name: input.name, fields: [...input.fields], boxes: [...input.boxes], updatedAt: yield* Clock.currentTimeMillis })
  yield* withEvidence((yield* TemplateRepository).update(next), () => event("template.updated", scope)(next))
  return next
})

/** Deletes a template: contracts made from it keep their own copy of the document. */
export const deleteOrgTemplate = Effect.fn("templates.delete")(function*(scope: OrgScope, id: string) {
  yield* ensureCan(scope, "template.manage", headOffice(scope))
  const current = yield* usableTemplate(scope, id)
  const next = new OrgTemplate({ ...current, deletedAt: yield* Clock.currentTimeMillis })
  yield* withEvidence((yield* TemplateRepository).update(next), () => event("template.deleted", scope)(next))
})

/** The template's PDF as uploaded (for the editor's preview). */
export const templateDocument = Effect.fn("templates.document")(function*(scope: OrgScope, id: string) {
  const t = yield* usableTemplate(scope, id)
  const bytes = yield* (yield* BlobStore).get(t.documentSha256)
  if (Option.isNone(bytes)) return yield* new NotFound({ entity: "template document", id })
  return { template: t, pdf: bytes.value }
})
