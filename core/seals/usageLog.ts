import { Schema } from "effect"
import { Millis } from "../kernel/Millis.ts"
import { UserId } from "../kernel/Ids.ts"

const Digits19 = Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" })))
export const UsageId = Digits19.pipe(Schema.brand("UsageId"))
export type UsageId = typeof UsageId.Type

/**
 * One use of a seal or of a signature (E7 使用记录): who used it, on behalf of
 * whom (the enterprise for a seal, the signatory for a signature), when, for
 * which contract, and under which delegation when the user was not the signatory.
 */
export class UsageEntry extends Schema.Class<UsageEntry>("UsageEntry")({
  id: UsageId,
  enterpriseId: Schema.String,
  kind: Schema.Literals(["seal", "signature"]),
  sealId: Schema.NullOr(Schema.String),
  signatureId: Schema.NullOr(Schema.String),
  /** The signatory whose signature was used (null for a seal: it is used on behalf of the enterprise). */
  signatoryUserId: Schema.NullOr(UserId),
  actorUserId: UserId,
  delegationId: Schema.NullOr(Schema.String),
  contractId: Schema.String,
  at: Millis,
  /** 自动签署: the authorization an API call used the seal under (the actor is the admin who granted it). */
  autoSignId: Schema.optionalKey(Schema.String),
}) {}
