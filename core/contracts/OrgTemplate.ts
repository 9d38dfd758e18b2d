import { Schema } from "effect"
import { Millis } from "../kernel/Millis.ts"
import { UserId } from "../kernel/Ids.ts"

const Digits19 = Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" })))
export const OrgTemplateId = Digits19.pipe(Schema.brand("OrgTemplateId"))
export type OrgTemplateId = typeof OrgTemplateId.Type

/** At most this many roles (签署角色), fill-in fields and signing boxes on one template. */
export const TEMPLATE_LIMITS = { roles: 4, fields: 30, boxes: 30, valueLength: 60 } as const

const Finite = Schema.Number.pipe(Schema.check(Schema.isFinite()))
const Positive = Finite.pipe(Schema.check(Schema.isGreaterThan(0)))
const Rect = {
  page: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1))),
  x: Finite,
  y: Finite,
  width: Positive,
  height: Positive,
}

/**
 * A fill-in field (填写项) of a template: where on which page its value is written when a contract is initiated
 * from it, in PDF points from the page's bottom-left. Text and dates are required; a checkbox is ticked (√) or left.
 */
export class TemplateFillField extends Schema.Class<TemplateFillField>("TemplateFillField")({
  /** The key of its value (API `variables`, form field `v_<key>`). */
  key: Schema.String.pipe(Schema.check(Schema.isPattern(/^[a-z][a-z0-9_]{0,31}$/, { message: "templateKey.invalid" }))),
  label: Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "templateLabel.trim" }), Schema.isBetweenLength(1, 30, { message: "templateLabel.length" }))),
  kind: Schema.Literals(["text", "date", "checkbox"]),
  ...Rect,
}) {}

/** A signing box of a template, for the role at `role` (0-based): a signature, a seal (enterprises) or the date. */
export class TemplateBox extends Schema.Class<TemplateBox>("TemplateBox")({
  role: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
  kind: Schema.Literals(["signature", "seal", "date"]),
  ...Rect,
}) {}

export const RoleName = Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "templateRole.trim" }), Schema.isBetweenLength(1, 10, { message: "templateRole.length" })))

/**
 * 模板: an enterprise's own contract template: a PDF uploaded once, its signing roles (甲方 / 乙方 ...; each bound
 * to a person or an enterprise when a contract is initiated), its fill-in fields and each role's boxes. Deleted
 * templates keep their row (contracts made from them keep their own copy of the PDF).
 */
export class OrgTemplate extends Schema.Class<OrgTemplate>("OrgTemplate")({
  id: OrgTemplateId,
  enterpriseId: Schema.String,
  name: Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "templateName.trim" }), Schema.isBetweenLength(1, 60, { message: "templateName.length" }))),
  roles: Schema.Array(RoleName).pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(TEMPLATE_LIMITS.roles))),
  fields: Schema.Array(TemplateFillField).pipe(Schema.check(Schema.isMaxLength(TEMPLATE_LIMITS.fields))),
  boxes: Schema.Array(TemplateBox).pipe(Schema.check(Schema.isMaxLength(TEMPLATE_LIMITS.boxes))),
  documentSha256: Schema.String,
  /** Page sizes (points), read once at upload, so the editor and the checks need not parse the PDF again. */
  pages: Schema.Array(Schema.Struct({ x: Finite, y: Finite, width: Positive, height: Positive })),
  createdBy: UserId,
  createdAt: Millis,
  updatedAt: Millis,
  deletedAt: Schema.NullOr(Millis),
}) {}
