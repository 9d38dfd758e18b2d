import { Schema } from "effect"
import { Millis } from "../kernel/Millis.ts"
import { UserId } from "../kernel/Ids.ts"

const Digits19 = Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" })))
export const SignatureId = Digits19.pipe(Schema.brand("SignatureId"))
export type SignatureId = typeof SignatureId.Type
export const DelegationId = Digits19.pipe(Schema.brand("DelegationId"))
export type DelegationId = typeof DelegationId.Type

/**
 * A person's handwritten signature (E6): uploaded, drawn on the page or a generated name seal,
 * kept as a transparent PNG. A person has at most one current signature;
 * a deleted one keeps its row (`deletedAt`) so usage logs still name it.
 */
export class Signature extends Schema.Class<Signature>("Signature")({
  id: SignatureId,
  ownerUserId: UserId,
  /** stamp: a generated 个人名章 (square red seal with the name). */
  source: Schema.Literals(["uploaded", "drawn", "stamp"]),
  imageSha256: Schema.String,
  imageWidth: Schema.Int,
  imageHeight: Schema.Int,
  createdAt: Millis,
  deletedAt: Schema.NullOr(Millis),
}) {}

/**
 * A signatory lets an agent of the enterprise use their signature (E6 授权):
 * from `validFrom`, until `validUntil` (open-ended when null), for every
 * contract of the enterprise or only those of one branch (and its
 * sub-branches). Revoked delegations keep their row for the usage log.
 */
export class Delegation extends Schema.Class<Delegation>("Delegation")({
  id: DelegationId,
  enterpriseId: Schema.String,
  signatoryUserId: UserId,
  agentUserId: UserId,
  /** null: all contracts of the enterprise. */
  branchId: Schema.NullOr(Schema.String),
  validFrom: Millis,
  validUntil: Schema.NullOr(Millis),
  createdAt: Millis,
  revokedAt: Schema.NullOr(Millis),
}) {}
