import { Schema } from "effect"
import { Millis } from "../kernel/Millis.ts"
import { UserId } from "../kernel/Ids.ts"
import { CreditCode } from "../kernel/CreditCode.ts"

const Digits19 = Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" })))
export const EnterpriseId = Digits19.pipe(Schema.brand("EnterpriseId"))
export type EnterpriseId = typeof EnterpriseId.Type

/**
 * An enterprise on the platform. It exists only once its verification was
 * approved (V4); the applicant is its admin (R2). One enterprise per credit code.
 */
export class Enterprise extends Schema.Class<Enterprise>("Enterprise")({
  id: EnterpriseId,
  name: Schema.String,
  creditCode: CreditCode,
  legalRepresentative: Schema.String,
  address: Schema.String,
  contactPhone: Schema.String,
  email: Schema.String,
  adminUserId: UserId,
  createdAt: Millis,
}) {}
