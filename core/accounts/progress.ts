/**
 * Where a user stands on the home page's steps (注册账户 → 个人实名认证 →
 * 企业认证 → 发起签约), read from what they have done, not assumed: a
 * verified admin sees the first three done, an application in review shows
 * as such, never as done.
 */
import { Effect, Option } from "effect"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { OrganizationRepository } from "../ports/OrganizationRepository.ts"
import { EnterpriseVerificationRepository, PersonalVerificationRepository } from "../ports/VerificationRepository.ts"
import type { User } from "./User.ts"

export interface Progress {
  readonly verified: boolean
  /** Member of a verified enterprise ("done"), an application waiting for review, or neither. */
  readonly enterprise: "done" | "in-review" | "rejected" | "none"
  /** Has sent (or signed) at least one contract. */
  readonly signed: boolean
}

export const userProgress = Effect.fn("accounts.progress")(function*(user: User) {
  const verified = Option.isSome(yield* (yield* PersonalVerificationRepository).find(user.id))
  const memberships = (yield* (yield* OrganizationRepository).membershipsOf(user.id)).filter((m) => m.active)
  const [latest] = yield* (yield* EnterpriseVerificationRepository).listByApplicant(user.id)
  const enterprise: Progress["enterprise"] = memberships.length > 0 ? "done"
    : latest?.status === "in-review" ? "in-review"
    : latest?.status === "rejected" ? "rejected"
    : "none"
  const contracts = yield* (yield* ContractRepository).list({ mobile: user.mobile, userId: user.id, limit: 1, offset: 0 })
  const progress: Progress = { verified, enterprise, signed: contracts.total > 0 }
  return progress
})
