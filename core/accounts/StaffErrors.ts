import { Schema } from "effect"

/** Staff log-in refused: this username failed too often from this client address; other clients are not affected. */
export class StaffLogInLocked extends Schema.TaggedError<StaffLogInLocked>()("StaffLogInLocked", { retryAfterSeconds: Schema.Number }) {}

/** The code typed to confirm an authenticator enrolment is not the current one (or there is no enrolment under way). */
export class TotpCodeIncorrect extends Schema.TaggedError<TotpCodeIncorrect>()("TotpCodeIncorrect", {}) {}

/** No staff account has this username (operator commands). */
export class StaffNotFound extends Schema.TaggedError<StaffNotFound>()("StaffNotFound", {}) {}
