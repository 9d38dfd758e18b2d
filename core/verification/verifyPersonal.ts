import { Clock, Effect, Option } from "effect"
import { ProfileChanges } from "../accounts/User.ts"
import type { UserId } from "../kernel/Ids.ts"
import type { Mobile } from "../kernel/Mobile.ts"
import { confirmCode } from "../otp/confirmCode.ts"
import { sendCode } from "../otp/sendCode.ts"
import { IdentityVerifier } from "../ports/IdentityVerifier.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { PersonalVerificationRepository } from "../ports/VerificationRepository.ts"
import { PERSONAL_VERIFICATION_PURPOSE, PersonalVerification, type PersonalVerificationInput } from "./PersonalVerification.ts"
import { bornAfter } from "./ResidentIdNumber.ts"
import { ownUpload } from "./uploads.ts"
import { AlreadyVerified, IdNumberBirthInFuture, IdPhotoSidesSame } from "./VerificationErrors.ts"

/** R1: the user's personal verification, if they passed it. */
export const findPersonalVerification = Effect.fn("verification.findPersonal")(function*(userId: UserId) {
  return yield* (yield* PersonalVerificationRepository).find(userId)
})

const notYetVerified = (userId: UserId) =>
  Effect.flatMap(findPersonalVerification(userId), (v) => (Option.isSome(v) ? Effect.fail(new AlreadyVerified()) : Effect.void))

/** V1: texts the code to the bank-reserved mobile (which may differ from the account's). */
export const sendPersonalVerificationCode = Effect.fn("verification.sendPersonalCode")(function*(userId: UserId, mobile: Mobile) {
  yield* notYetVerified(userId)
  return yield* sendCode(mobile, PERSONAL_VERIFICATION_PURPOSE)
})

/**
 * V1: checks the SMS code first (it proves the reserved mobile is at hand and
 * keeps paid provider checks from being spent on guesses), then the four
 * factors with the identity provider. On success the user is verified (R1)
 * and their profile name becomes the verified name. On any failure nothing is
 * written except the OTP's own attempt count.
 */
export const verifyPersonal = Effect.fn("verification.verifyPersonal")(function*(userId: UserId, input: PersonalVerificationInput) {
  yield* notYetVerified(userId)
  const now = yield* Clock.currentTimeMillis
  if (bornAfter(input.idNumber, now)) return yield* new IdNumberBirthInFuture()
  yield* ownUpload(userId, input.photoId, "id-photo")
  yield* ownUpload(userId, input.backPhotoId, "id-photo")
  if (input.backPhotoId === input.photoId) return yield* new IdPhotoSidesSame()
  yield* confirmCode(input.mobile, PERSONAL_VERIFICATION_PURPOSE, input.code)
  const { reference } = yield* (yield* IdentityVerifier).verify({
    name: input.name, idNumber: input.idNumber, bankCard: input.bankCard, cardType: input.cardType, mobile: input.mobile,
  })
  const verification = new PersonalVerification({
    userId, name: input.name, idNumber: input.idNumber, cardLast4: input.bankCard.slice(-4), cardType: input.cardType,
    mobile: input.mobile, photoUploadId: input.photoId, backPhotoUploadId: input.backPhotoId, providerReference: reference, verifiedAt: now,
  })
  const users = yield* UserRepository
  return yield* (yield* UnitOfWork).transact(Effect.gen(function*() {
    if (!(yield* (yield* PersonalVerificationRepository).insert(verification))) return yield* new AlreadyVerified()
    const user = yield* users.findById(userId)
    const email = Option.isSome(user) ? user.value.email : null
    yield* users.updateProfile(userId, ProfileChanges.make({ name: input.name, email }))
    return verification
  }))
})
