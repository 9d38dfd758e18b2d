import { Schema } from "effect"

/** Registering, or asking for a register code, with a number that already has an account. */
export class MobileAlreadyRegistered extends Schema.TaggedError<MobileAlreadyRegistered>()("MobileAlreadyRegistered", {}) {}

/** Asking for a reset code for a number that has no account. */
export class MobileNotRegistered extends Schema.TaggedError<MobileNotRegistered>()("MobileNotRegistered", {}) {}

/** Log-in with an unknown number or a wrong password (deliberately not told apart). */
export class InvalidCredentials extends Schema.TaggedError<InvalidCredentials>()("InvalidCredentials", {}) {}

/** Changing the password with a wrong current password. */
export class PasswordIncorrect extends Schema.TaggedError<PasswordIncorrect>()("PasswordIncorrect", {}) {}

/** The new password equals the current one. */
export class PasswordUnchanged extends Schema.TaggedError<PasswordUnchanged>()("PasswordUnchanged", {}) {}

/** A staff username that is already in use. */
export class StaffUsernameTaken extends Schema.TaggedError<StaffUsernameTaken>()("StaffUsernameTaken", {}) {}

/** The address book holds at most 20 addresses. */
export class AddressBookFull extends Schema.TaggedError<AddressBookFull>()("AddressBookFull", { limit: Schema.Number }) {}

/** Ten failed log-ins on this number: every log-in is refused until `until` (epoch ms) or an SMS code unlocks it. */
export class AccountLocked extends Schema.TaggedError<AccountLocked>()("AccountLocked", { until: Schema.Number }) {}

/** A personally verified user tried to change the name their verification confirmed (the name is locked once verified). */
export class VerifiedNameLocked extends Schema.TaggedError<VerifiedNameLocked>()("VerifiedNameLocked", { verifiedName: Schema.String }) {}
