import { Schema } from "effect"

/**
 * A password as the user chose it (A1): 6-16 characters with at least one
 * letter and one digit. Only ever hashed (PasswordHasher), never stored or logged.
 */
export const NewPassword = Schema.String.pipe(
  Schema.check(
    Schema.isBetweenLength(6, 16, { message: "password.length" }),
    Schema.isPattern(/[A-Za-z]/, { message: "password.letter" }),
    Schema.isPattern(/\d/, { message: "password.digit" }),
    Schema.isPattern(/^[\x21-\x7e]+$/, { message: "password.charset" }),
  ),
  Schema.brand("NewPassword"),
)
export type NewPassword = typeof NewPassword.Type

/** A password typed to log in or confirm: not checked against the policy. */
export const PasswordInput = Schema.String.pipe(
  Schema.check(Schema.isBetweenLength(1, 128, { message: "password.required" })),
)
