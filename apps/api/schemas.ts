import { Schema } from "effect"
import { ContractStatusSchema, SigningModeSchema } from "../../core/contracts/Contract.ts"
import { CursorText } from "../../core/ports/ContractRepository.ts"
import { Mobile } from "../../core/kernel/Mobile.ts"

/**
 * The request Schemas of /api/v1: the routes decode with exactly these, and
 * the OpenAPI document is generated from them (apps/api/openapi.ts).
 */
const DateTime = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, { message: "datetime.invalid" })),
).annotate({ description: "ISO 8601 date-time with offset, e.g. 2026-12-31T18:00:00+08:00", format: "date-time" })

const Text = (max: number) => Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "text.trim" }), Schema.isBetweenLength(1, max, { message: "text.length" })))

export const PersonPartyBody = Schema.Struct({
  name: Text(40).annotate({ description: "The signer's name" }),
  mobile: Mobile.annotate({ description: "Mainland China mobile number; the invitation is texted there" }),
}).annotate({ identifier: "PartyInput" })

/** An enterprise verified on the platform, by its registered name: it signs with a seal (in the portal, a USB-Key, or auto-signing). */
export const EnterprisePartyBody = Schema.Struct({
  enterpriseName: Text(60).annotate({ description: "The verified enterprise's registered name (your own enterprise to sign it through this API)" }),
}).annotate({ identifier: "EnterprisePartyInput" })

export const PartyBody = Schema.Union([PersonPartyBody, EnterprisePartyBody])

export const SignFieldBody = Schema.Struct({
  partyIndex: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
  page: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1))),
  x: Schema.Finite,
  y: Schema.Finite,
  width: Schema.Finite.pipe(Schema.check(Schema.isGreaterThan(0))),
  height: Schema.Finite.pipe(Schema.check(Schema.isGreaterThan(0))),
}).annotate({ identifier: "SignFieldInput", description: "A signature box: page (1-based) and rectangle in PDF points from the bottom-left" })

const contractFields = {
  name: Text(100).annotate({ description: "Contract name" }),
  mode: Schema.optionalKey(SigningModeSchema).annotate({ description: "simultaneous (default) or sequential (in party order)" }),
  deadline: DateTime.annotate({ description: "Signing deadline (ISO 8601); the contract expires after it" }),
  parties: Schema.Array(PartyBody).pipe(Schema.check(Schema.isMinLength(1, { message: "parties.length" }), Schema.isMaxLength(20, { message: "parties.length" }))),
}

/** JSON body: a contract generated from a template. */
export const CreateFromTemplate = Schema.Struct({
  ...contractFields,
  template: Schema.Struct({
    id: Schema.String.annotate({ description: "Template id: a built-in one (nda, service, purchase) or the 19-digit id of one of the enterprise's own templates (模板)" }),
    values: Schema.Record(Schema.String, Schema.String).annotate({ description: "The template's fill-in values by field name (enterprise templates: text, a date as YYYY-MM-DD, a checkbox as true/false)" }),
  }),
}).annotate({ identifier: "CreateContractFromTemplate" })

/** The `contract` part (JSON) of a multipart upload; the `document` part is the PDF. */
export const CreateFromUpload = Schema.Struct({
  ...contractFields,
  fields: Schema.optionalKey(Schema.Array(SignFieldBody)),
}).annotate({ identifier: "CreateContractFromUpload" })

export const ContractIdParams = Schema.Struct({
  id: Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" }))).annotate({ description: "19-digit contract number" }),
})

const PositiveIntString = (max: number) =>
  Schema.NumberFromString.pipe(Schema.check(Schema.isInt({ message: "int.invalid" }), Schema.isBetween({ minimum: 1, maximum: max }, { message: "range.invalid" })))

export const ListQuery = Schema.Struct({
  status: Schema.optionalKey(ContractStatusSchema),
  name: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(60, { message: "text.length" })))).annotate({ description: "Part of the contract name" }),
  createdFrom: Schema.optionalKey(DateTime).annotate({ description: "Created at or after" }),
  createdTo: Schema.optionalKey(DateTime).annotate({ description: "Created before" }),
  after: Schema.optionalKey(CursorText).annotate({ description: "The `next` of the previous page: the page after it (keyset pagination; `page` then counts from it)" }),
  page: Schema.optionalKey(PositiveIntString(100)).annotate({ description: "1-based page (default 1); deeper than 100 pages, follow `next` with `after`" }),
  pageSize: Schema.optionalKey(PositiveIntString(100)).annotate({ description: "Items per page, 1-100 (default 20)" }),
})

export const RemindBody = Schema.Struct({
  partyIndex: Schema.optionalKey(Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))).annotate({ description: "The party to remind; all waiting parties when absent" }),
}).annotate({ identifier: "RemindInput" })

const Base64Der = Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Za-z0-9+/]{16,24000}={0,2}$/, { message: "base64.invalid" })))
  .annotate({ description: "DER, base64" })

export const PrepareSignatureBody = Schema.Struct({
  certificateChain: Schema.Array(Base64Der).pipe(Schema.check(Schema.isMinLength(1, { message: "chain.length" }), Schema.isMaxLength(6, { message: "chain.length" })))
    .annotate({ description: "The signing certificate first, then its issuers (DER, base64). The certificate must name your enterprise (organizationIdentifier, or O with the credit code) and not be revoked." }),
}).annotate({ identifier: "PrepareSignatureInput" })

export const PreparedSignature = Schema.Struct({
  preparedId: Schema.String.annotate({ description: "Pass to signatures:complete within 10 minutes, once" }),
  expiresAt: Schema.String.annotate({ format: "date-time" }),
  contract: Schema.Struct({ id: Schema.String, name: Schema.String, documentSha256: Schema.String }),
  party: Schema.Struct({ index: Schema.Int, name: Schema.String }),
  fieldName: Schema.String,
  algorithm: Schema.Literals(["ECDSA-P256-SHA256", "RSA-PKCS1-SHA256"]),
  toBeSigned: Schema.String.annotate({ description: "DER of the CMS signed attributes, base64: sign these bytes with SHA-256 and the certificate's key" }),
  digests: Schema.Struct({ "SHA-256": Schema.String.annotate({ description: "hex SHA-256 of toBeSigned, for keys that sign a digest" }) }),
}).annotate({ identifier: "PreparedSignature" })

export const CompleteSignatureBody = Schema.Struct({
  preparedId: Schema.String.pipe(Schema.check(Schema.isPattern(/^[0-9a-f]{32}$/, { message: "preparedId.invalid" }))),
  signatureValue: Base64Der.annotate({ description: "The signature over toBeSigned, base64: ECDSA as DER Ecdsa-Sig-Value or raw r||s, RSA PKCS#1 v1.5" }),
  certificateChain: PrepareSignatureBody.fields.certificateChain,
}).annotate({ identifier: "CompleteSignatureInput" })

/** RFC 9457 problem details, with a stable `code`. */
export const Problem = Schema.Struct({
  type: Schema.String,
  title: Schema.String,
  status: Schema.Int,
  code: Schema.String.annotate({ description: "Stable machine-readable error code" }),
  detail: Schema.optionalKey(Schema.String),
  instance: Schema.optionalKey(Schema.String),
  errors: Schema.optionalKey(Schema.Array(Schema.Struct({ pointer: Schema.String, code: Schema.String, detail: Schema.String }))),
}).annotate({ identifier: "Problem" })
