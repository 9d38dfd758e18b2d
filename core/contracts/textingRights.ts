/**
 * Issue 16: who may make Signet text other people. Sending a contract (and
 * reminding its parties) texts numbers the sender chose, so it needs a
 * verified identity (实名认证, as e签宝 and 法大大 require) and stays within
 * daily quotas per account and per recipient, counted in the database.
 */
import { Clock, Effect, Option } from "effect"
import type { User } from "../accounts/User.ts"
import { SmsQuota, SmsQuotaLimits } from "../ports/SmsQuota.ts"
import { PersonalVerificationRepository } from "../ports/VerificationRepository.ts"
import { beijingDay } from "../kernel/time.ts"
import { InitiatorNotVerified, SmsQuotaExceeded } from "./ContractErrors.ts"


/** Fails unless `user` is personally verified and may still text these numbers today (one entry per text); counts them. */
export const mayTextOthers = Effect.fn("contracts.mayTextOthers")(function*(user: User, mobiles: ReadonlyArray<string>) {
  if (Option.isNone(yield* PersonalVerificationRepository.use((r) => r.find(user.id)))) return yield* new InitiatorNotVerified()
  if (mobiles.length === 0) return
  const limits = yield* SmsQuotaLimits
  const day = beijingDay(yield* Clock.currentTimeMillis)
  const answer = yield* SmsQuota.use((q) => q.take({ account: user.id, recipients: mobiles, day, limits }))
  if (answer !== "ok") return yield* new SmsQuotaExceeded({ limit: answer })
})
