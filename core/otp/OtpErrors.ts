import { Schema } from "effect"

/** A code was sent to this number less than a minute ago. */
export class OtpSendTooSoon extends Schema.TaggedError<OtpSendTooSoon>()("OtpSendTooSoon", {
  retryAfterSeconds: Schema.Number,
}) {}

/** Ten codes went to this number in the last 24 hours. */
export class OtpDailyLimitReached extends Schema.TaggedError<OtpDailyLimitReached>()("OtpDailyLimitReached", {}) {}

/** No code was requested for this number and purpose (or it was already used). */
export class OtpNotRequested extends Schema.TaggedError<OtpNotRequested>()("OtpNotRequested", {}) {}

/** The code is older than five minutes. */
export class OtpExpired extends Schema.TaggedError<OtpExpired>()("OtpExpired", {}) {}

/** Five wrong tries: this code can no longer be used; a new one must be requested. */
export class OtpLocked extends Schema.TaggedError<OtpLocked>()("OtpLocked", {}) {}

/** The code is wrong; `attemptsLeft` more tries before it locks. */
export class OtpIncorrect extends Schema.TaggedError<OtpIncorrect>()("OtpIncorrect", {
  attemptsLeft: Schema.Number,
}) {}

/**
 * Ten wrong tries for this number within the hour, whatever the codes were
 * for: no code of the number is checked until `until` (epoch ms).
 */
export class OtpMobileLocked extends Schema.TaggedError<OtpMobileLocked>()("OtpMobileLocked", {
  until: Schema.Number,
}) {}

export type OtpConfirmError = OtpNotRequested | OtpExpired | OtpLocked | OtpIncorrect | OtpMobileLocked
export type OtpSendError = OtpSendTooSoon | OtpDailyLimitReached
