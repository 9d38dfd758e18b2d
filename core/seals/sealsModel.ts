import { Schema } from "effect"
import { Millis } from "../kernel/Millis.ts"
import { UserId } from "../kernel/Ids.ts"

const Digits19 = Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" })))
export const SealId = Digits19.pipe(Schema.brand("SealId"))
export type SealId = typeof SealId.Type

/** Seal kinds an enterprise keeps (E5 印章类型). */
export const SealType = Schema.Literals(["official", "contract", "finance", "invoice", "hr", "legalRep"])
export type SealType = typeof SealType.Type

/** zh-CN name of each kind, and the text a generated seal carries under its star (公章 carries none). */
export const SEAL_TYPES: Record<SealType, { readonly label: string; readonly bottomText: string; readonly generated: boolean }> = {
  official: { label: "公章", bottomText: "", generated: true },
  contract: { label: "合同专用章", bottomText: "合同专用章", generated: true },
  finance: { label: "财务专用章", bottomText: "财务专用章", generated: true },
  invoice: { label: "发票专用章", bottomText: "发票专用章", generated: true },
  hr: { label: "人事专用章", bottomText: "人事专用章", generated: true },
  // A legal representative's seal is the person's name in a square frame: uploaded, never generated here.
  legalRep: { label: "法定代表人章", bottomText: "", generated: false },
}

export const SealName = Schema.String.pipe(
  Schema.check(Schema.isTrimmed({ message: "sealName.trim" }), Schema.isBetweenLength(2, 30, { message: "sealName.length" })),
)

/**
 * An enterprise seal (E5): its image, the branch it belongs to, whether it
 * may be used, and the signing identity bound to it when it was created
 * (a key in the key store and an enterprise certificate from the CA).
 */
export class Seal extends Schema.Class<Seal>("Seal")({
  id: SealId,
  enterpriseId: Schema.String,
  branchId: Schema.String,
  name: Schema.String,
  type: SealType,
  source: Schema.Literals(["generated", "uploaded"]),
  /** SHA-256 of the transparent PNG in the blob store. */
  imageSha256: Schema.String,
  imageWidth: Schema.Int,
  imageHeight: Schema.Int,
  keyLabel: Schema.String,
  /** DER of the seal's certificate, base64. */
  certificate: Schema.String,
  certificateSerial: Schema.String,
  enabled: Schema.Boolean,
  createdBy: UserId,
  createdAt: Millis,
  updatedAt: Millis,
}) {}

/**
 * A member's authorization to use a seal (E5 授权). Revoking keeps the row
 * (with who and when) so the seal's history stays readable; only grants
 * without `revokedAt` count.
 */
export class SealGrant extends Schema.Class<SealGrant>("SealGrant")({
  sealId: SealId,
  userId: UserId,
  grantedBy: UserId,
  grantedAt: Millis,
  revokedBy: Schema.NullOr(UserId),
  revokedAt: Schema.NullOr(Millis),
}) {}

export const liveGrantees = (grants: ReadonlyArray<SealGrant>): ReadonlyArray<string> =>
  grants.filter((g) => g.revokedAt === null).map((g) => g.userId)
