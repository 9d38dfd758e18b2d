import type { Schema } from "effect"
import { Bundle } from "../../core/evidence/Bundle.ts"
import { ContractList, ContractResource } from "../../core/api/resources.ts"
import { CompleteSignatureBody, ContractIdParams, CreateFromTemplate, CreateFromUpload, ListQuery, PreparedSignature, PrepareSignatureBody, RemindBody } from "./schemas.ts"

export interface Operation {
  readonly operationId: string
  readonly method: "get" | "post"
  /** OpenAPI path template under /api/v1. */
  readonly path: string
  readonly summary: string
  readonly description?: string
  readonly params?: Schema.Top
  readonly query?: Schema.Top
  /** A JSON body, and/or a multipart body whose `contract` part is this JSON and whose `document` part is a PDF. */
  readonly body?: { readonly json?: Schema.Top; readonly multipart?: Schema.Top; readonly required: boolean }
  /** Honours an Idempotency-Key header. */
  readonly idempotent: boolean
  readonly success: { readonly status: 200 | 201; readonly description: string; readonly json?: Schema.Top; readonly media?: string }
  /** Problem statuses the operation may answer with (besides 401 and 429, which every operation may). */
  readonly problems: ReadonlyArray<number>
}

/**
 * Every operation of /api/v1. The router is built from this table and so is
 * the OpenAPI document: a route cannot exist without its description.
 */
export const operations: ReadonlyArray<Operation> = [
  {
    operationId: "createContract", method: "post", path: "/contracts",
    summary: "Create and send a contract",
    description: "Either JSON (a template filled in) or multipart/form-data with a `contract` part (JSON) and a `document` part (PDF, at most 50 MB). "
      + "The contract is sent at once: every party is texted an invitation. It belongs to the key's enterprise.",
    body: { json: CreateFromTemplate, multipart: CreateFromUpload, required: true },
    idempotent: true,
    success: { status: 201, description: "Created and sent", json: ContractResource },
    problems: [400, 413, 415, 422],
  },
  {
    operationId: "listContracts", method: "get", path: "/contracts",
    summary: "List the enterprise's contracts",
    description: "Newest first, filtered by status, part of the name and creation time.",
    query: ListQuery, idempotent: false,
    success: { status: 200, description: "A page of contracts", json: ContractList },
    problems: [422],
  },
  {
    operationId: "getContract", method: "get", path: "/contracts/{id}",
    summary: "Get a contract and its parties' status",
    params: ContractIdParams, idempotent: false,
    success: { status: 200, description: "The contract", json: ContractResource },
    problems: [404],
  },
  {
    operationId: "downloadDocument", method: "get", path: "/contracts/{id}/document",
    summary: "Download the current (signed) PDF",
    description: "The latest version: each signature is an incremental update, so a completed contract's PDF carries every signature.",
    params: ContractIdParams, idempotent: false,
    success: { status: 200, description: "The PDF", media: "application/pdf" },
    problems: [404],
  },
  {
    operationId: "downloadEvidence", method: "get", path: "/contracts/{id}/evidence",
    summary: "Download the contract's evidence bundle",
    description: "Every evidence event of the contract with inclusion proofs to a signed checkpoint; verify offline with `signet evidence verify`.",
    params: ContractIdParams, idempotent: false,
    success: { status: 200, description: "The evidence bundle", json: Bundle },
    problems: [404, 409],
  },
  {
    operationId: "revokeContract", method: "post", path: "/contracts/{id}/revoke",
    summary: "Revoke an unfinished contract",
    params: ContractIdParams, idempotent: true,
    success: { status: 200, description: "Revoked", json: ContractResource },
    problems: [404, 409, 422],
  },
  {
    operationId: "remindContract", method: "post", path: "/contracts/{id}/remind",
    summary: "Remind a party (or every waiting party) by SMS",
    description: "A party is reminded at most once an hour.",
    params: ContractIdParams, body: { json: RemindBody, required: false }, idempotent: true,
    success: { status: 200, description: "Reminded", json: ContractResource },
    problems: [404, 409, 422],
  },
  {
    operationId: "prepareSignature", method: "post", path: "/contracts/{id}/signatures:prepare",
    summary: "Prepare your enterprise's signature for a key you hold (HSM, USB-Key)",
    description: "Deferred signing: the platform writes your party's revision with a signature placeholder (kept until completion, 10 minutes) "
      + "and returns the CMS signed attributes to sign. Your key never reaches the platform. "
      + "The certificate must name your enterprise and be unrevoked: 422 certificate_not_of_party, certificate_revoked, certificate_unusable, or "
      + "certificate_status_unconfirmed when it comes from another CA on the trust list whose OCSP responder or CRL gave no answer (never accepted as unknown).",
    params: ContractIdParams, body: { json: PrepareSignatureBody, required: true }, idempotent: true,
    success: { status: 200, description: "What to sign", json: PreparedSignature },
    problems: [400, 404, 409, 422, 503],
  },
  {
    operationId: "completeSignature", method: "post", path: "/contracts/{id}/signatures:complete",
    summary: "Complete a prepared signature with the value your key made",
    description: "The CMS is embedded with an RFC 3161 timestamp, the file is checked by the platform's verifier, and the act is recorded as evidence. "
      + "A prepared signature completes once (409 prepared_used), within 10 minutes (410 prepared_expired), on the document it was prepared on (409 prepared_stale). "
      + "The certificate's status is checked again (422 certificate_revoked, certificate_status_unconfirmed).",
    params: ContractIdParams, body: { json: CompleteSignatureBody, required: true }, idempotent: true,
    success: { status: 200, description: "Signed", json: ContractResource },
    problems: [400, 404, 409, 410, 422, 503],
  },
  {
    operationId: "autoSignContract", method: "post", path: "/contracts/{id}/signatures:auto",
    summary: "Sign for your enterprise with a seal authorized for auto-signing (自动签署)",
    description: "Only within an authorization your enterprise's admin gave in the portal (seal, templates or counterparties, validity window, maximum number). "
      + "Outside it the answer is 403 with code auto_sign_revoked, auto_sign_expired, auto_sign_not_yet_valid, auto_sign_out_of_scope, auto_sign_over_count or auto_sign_not_authorized, and nothing is written. "
      + "The signature carries the deployment's PAdES level like every platform signature (from B-T an RFC 3161 timestamp; 503 dependency_unavailable when the TSA does not answer) "
      + "and the seal's use is in its usage log.",
    params: ContractIdParams, idempotent: true,
    success: { status: 200, description: "Signed", json: ContractResource },
    problems: [403, 404, 409, 503],
  },
]
