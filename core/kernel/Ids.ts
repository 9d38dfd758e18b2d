import { Schema } from "effect"

/**
 * A contract-style numeric id: 19 decimal digits, time-ordered (snowflake).
 * Every entity id and every contract number is one; kept as a string because
 * it does not fit a JavaScript number.
 */
export const NumericId = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" })),
  Schema.brand("NumericId"),
)
export type NumericId = typeof NumericId.Type

const Digits19 = Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" })))

export const UserId = Digits19.pipe(Schema.brand("UserId"))
export type UserId = typeof UserId.Type
export const StaffId = Digits19.pipe(Schema.brand("StaffId"))
export type StaffId = typeof StaffId.Type
export const AddressId = Digits19.pipe(Schema.brand("AddressId"))
export type AddressId = typeof AddressId.Type
export const OtpId = Digits19.pipe(Schema.brand("OtpId"))
export type OtpId = typeof OtpId.Type
