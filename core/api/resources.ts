import { Schema } from "effect"
import type { Contract } from "../contracts/Contract.ts"
import { WebhookEventType } from "./Api.ts"

/**
 * What the REST API and webhooks say about a contract. The same Schemas
 * describe the responses in the OpenAPI document (apps/api/openapi.ts).
 * Times are ISO 8601 in UTC.
 */
const Time = Schema.String.annotate({ description: "ISO 8601 time (UTC)", format: "date-time" })
const Id19 = Schema.String.annotate({ description: "19-digit contract number", pattern: "^[1-9][0-9]{18}$" })

export const PartyResource = Schema.Struct({
  index: Schema.Int,
  name: Schema.String,
  mobile: Schema.String,
  status: Schema.Literals(["waiting", "signed", "rejected"]),
  actedAt: Schema.NullOr(Time),
  viewedAt: Schema.NullOr(Time),
}).annotate({ identifier: "Party" })

export const ContractResource = Schema.Struct({
  id: Id19,
  name: Schema.String,
  status: Schema.Literals(["draft", "inProgress", "completed", "rejected", "revoked", "expired"]),
  mode: Schema.Literals(["simultaneous", "sequential"]),
  deadline: Time,
  createdAt: Time,
  sentAt: Schema.NullOr(Time),
  endedAt: Schema.NullOr(Time),
  rejectionReason: Schema.NullOr(Schema.String),
  documentVersion: Schema.Int,
  documentSha256: Schema.String,
  parties: Schema.Array(PartyResource),
}).annotate({ identifier: "Contract" })
export type ContractResource = typeof ContractResource.Type

export const ContractList = Schema.Struct({
  items: Schema.Array(ContractResource),
  total: Schema.Int.annotate({ description: "Matching contracts, counted up to 10,000 (10000 means 10,000 or more)" }),
  page: Schema.Int,
  pageSize: Schema.Int,
  next: Schema.NullOr(Schema.String).annotate({ description: "Pass as `after` for the next page; null on the last page" }),
}).annotate({ identifier: "ContractList" })

/** The body POSTed to a webhook endpoint (signed; see Signet-Signature). */
export const WebhookEvent = Schema.Struct({
  id: Schema.String,
  type: WebhookEventType,
  createdAt: Time,
  data: Schema.Struct({
    contract: ContractResource,
    /** The party that signed or rejected (contract.signed / contract.rejected). */
    party: Schema.optionalKey(Schema.Int),
  }),
}).annotate({ identifier: "WebhookEvent" })

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export const contractResource = (c: Contract): ContractResource => ({
  id: c.id,
  name: c.name,
  status: c.status,
  mode: c.mode,
  deadline: iso(c.deadline)!,
  createdAt: iso(c.createdAt)!,
  sentAt: iso(c.sentAt),
  endedAt: iso(c.endedAt),
  rejectionReason: c.rejectionReason,
  documentVersion: c.documentVersion,
  documentSha256: c.documentSha256,
  parties: c.parties.map((p) => ({ index: p.index, name: p.name, mobile: p.mobile, status: p.status, actedAt: iso(p.actedAt), viewedAt: iso(p.viewedAt) })),
})
