import { Schema } from "effect"
import { Millis } from "../kernel/Millis.ts"
import { UserId } from "../kernel/Ids.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { OtpCode } from "../otp/Otp.ts"
import { BankCardNumber } from "./BankCard.ts"
import { ResidentIdNumber } from "./ResidentIdNumber.ts"
import { UploadId } from "./Upload.ts"

/** 储蓄卡 (debit) or 信用卡 (credit). */
export const CardType = Schema.Literals(["debit", "credit"])
export type CardType = typeof CardType.Type

/** A name as on the ID card: Chinese characters (with the middle dot of minority names) or Latin letters. */
export const PersonName = Schema.String.pipe(
  Schema.check(
    Schema.isTrimmed({ message: "personName.format" }),
    Schema.isPattern(/^(?:[\u3400-\u9fff\u{20000}-\u{2ffff}·]{2,30}|[A-Za-z][A-Za-z .'-]{1,59})$/u, { message: "personName.format" }),
  ),
)

/** The OTP purpose of the code sent to the bank-reserved mobile (V1). */
export const PERSONAL_VERIFICATION_PURPOSE = "verify-personal"

/** What the V1 form carries once decoded: the four factors, the SMS code, and the stored ID photos (正面 and 反面, as the manual asks). */
export const PersonalVerificationInput = Schema.Struct({
  photoId: UploadId,
  backPhotoId: UploadId,
  name: PersonName,
  idNumber: ResidentIdNumber,
  bankCard: BankCardNumber,
  cardType: CardType,
  mobile: Mobile,
  code: OtpCode,
})
export type PersonalVerificationInput = typeof PersonalVerificationInput.Type

/**
 * R1: a user whose four factors a provider confirmed. Only the last four
 * digits of the card are kept; the ID number is kept because the
 * authorization letter (V3) and certificates carry it.
 */
export class PersonalVerification extends Schema.Class<PersonalVerification>("PersonalVerification")({
  userId: UserId,
  name: Schema.String,
  idNumber: ResidentIdNumber,
  cardLast4: Schema.String,
  cardType: CardType,
  mobile: Mobile,
  photoUploadId: UploadId,
  /** The ID card's back (反面, issue 17); absent for verifications made before it was asked. */
  backPhotoUploadId: Schema.optionalKey(Schema.NullOr(UploadId)),
  providerReference: Schema.String,
  verifiedAt: Millis,
}) {}
