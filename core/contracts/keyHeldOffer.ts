/**
 * Who is offered 使用 USB-Key 签署 (issue 20): a party whose certificate the
 * platform knows. Either the shop made one for that holder (an order for the
 * enterprise's credit code, or for the person's verified ID number, whose key
 * carries a certificate), or the deployment trusts other CAs
 * (SIGNET_TRUST_ROOTS), whose certificates the platform cannot list
 * beforehand. Anyone else signs with the platform-held key and an SMS code.
 */
import { Effect, Option } from "effect"
import type { User } from "../accounts/User.ts"
import { WITH_CERTIFICATE } from "../orders/lostCertificate.ts"
import { OrderRepository } from "../ports/OrderRepository.ts"
import type { EnterpriseId } from "../organizations/Enterprise.ts"
import { EnterpriseRepository } from "../ports/EnterpriseRepository.ts"
import { TrustList } from "../ports/TrustList.ts"
import { PersonalVerificationRepository } from "../ports/VerificationRepository.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { openContract } from "./access.ts"
import { isEnterpriseParty, type Party } from "./Contract.ts"
import { KeyHeldNotOffered } from "./ExternalSignature.ts"
import { actingParty } from "./signContract.ts"

/** Orders looked at per holder: a holder with more made keys than this is offered the way anyway (the first page has one). */
const ORDERS_LOOKED_AT = 50

/** Whether `user`, signing for `party`, is offered the USB-Key way. */
export const keyHeldOffered = Effect.fn("contracts.keyHeldOffered")(function*(user: User, party: Party) {
  if (((yield* TrustList).others ?? []).length > 0) return true
  const orders = yield* OrderRepository
  if (isEnterpriseParty(party)) {
    const e = yield* EnterpriseRepository.use((r) => r.findById(party.enterpriseId as EnterpriseId))
    if (Option.isNone(e)) return false
    const page = yield* orders.search({ company: e.value.name, statuses: WITH_CERTIFICATE }, 0, ORDERS_LOOKED_AT)
    return page.orders.some((o) => o.state.certificateSerial !== null && o.application.enterprise?.creditCode.toUpperCase() === e.value.creditCode.toUpperCase())
  }
  const v = yield* PersonalVerificationRepository.use((r) => r.find(user.id))
  if (Option.isNone(v)) return false
  const page = yield* orders.search({ applicant: v.value.name, statuses: WITH_CERTIFICATE }, 0, ORDERS_LOOKED_AT)
  return page.orders.some((o) => o.state.certificateSerial !== null && o.application.enterprise === null && o.application.holder.idNumber === v.value.idNumber)
})

/** Portal: fails unless the party `user` would sign for on contract `id` is offered the USB-Key way (hiding the option is not the rule). */
export const checkKeyHeldOffered = Effect.fn("contracts.checkKeyHeldOffered")(function*(user: User, id: NumericId, partyIndex?: number) {
  const party = yield* actingParty(yield* openContract(id, user), partyIndex)
  if (!(yield* keyHeldOffered(user, party))) return yield* new KeyHeldNotOffered()
})
