/** Small pieces every organization use case shares: evidence of an act, texts, verified-person lookup, guarded member writes. */
import { Effect, Option } from "effect"
import type { EventType } from "../evidence/Event.ts"
import type { RecordEventInput } from "../evidence/recordEvent.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { SMS_CAPS, smsVariable } from "../ports/SmsTemplates.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { PersonalVerificationRepository } from "../ports/VerificationRepository.ts"
import type { UserId } from "../kernel/Ids.ts"
import { InviteeNotRegistered, InviteeNotVerified, MemberChanged } from "./OrganizationErrors.ts"
import { MemberRecord } from "./Organization.ts"

/**
 * The evidence of an act in an enterprise: on the enterprise's chain, the
 * actor only as a commitment; `data` holds public facts (ids, roles), never
 * personal data.
 */
export const orgEvent = (type: EventType, enterpriseId: string, actorId: string | null, data: RecordEventInput["data"] = {}) =>
  (): Omit<RecordEventInput, "ip" | "userAgent"> => ({
    type,
    subjectId: enterpriseId,
    role: actorId === null ? "system" : "user",
    ...(actorId === null ? {} : { actor: actorId }),
    data,
  })

/** Tells a person (提醒 and SMS, core/notifications/notify.ts); a failure never undoes the act it reports (the page shows it too). */
export { notify } from "../notifications/notify.ts"

/** An enterprise's name as an SMS variable. */
export const enterpriseVar = (name: string) => smsVariable(name, SMS_CAPS.name)

/** The registered, personally verified user with this mobile (members and new admins must be verified, E2/E1). */
export const verifiedUserByMobile = Effect.fn("organizations.verifiedUserByMobile")(function*(mobile: string) {
  const user = yield* (yield* UserRepository).findByMobile(mobile)
  if (Option.isNone(user)) return yield* new InviteeNotRegistered()
  if (Option.isNone(yield* (yield* PersonalVerificationRepository).find(user.value.id))) return yield* new InviteeNotVerified()
  return user.value
})

export const mobileOf = Effect.fn("organizations.mobileOf")(function*(userId: string) {
  const user = yield* (yield* UserRepository).findById(userId as UserId)
  return Option.isSome(user) ? user.value.mobile : null
})

/** Writes the next version of a member, failing with MemberChanged if someone wrote it first. */
export const saveMember = (before: MemberRecord, change: Partial<Pick<MemberRecord, "roles" | "branchId" | "department" | "active" | "permissions">>, now: number) =>
  Effect.gen(function*() {
    const next = new MemberRecord({ ...before, ...change, version: before.version + 1, updatedAt: now })
    if (!(yield* (yield* MembershipRepository).updateMember(next))) return yield* new MemberChanged()
    return next
  })
