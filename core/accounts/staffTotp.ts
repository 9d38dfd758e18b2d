import { Clock, Effect } from "effect"
import { Crypto } from "../ports/Crypto.ts"
import { SecretSealer } from "../ports/SecretSealer.ts"
import { StaffSecurity } from "../ports/StaffSecurity.ts"
import type { StaffId } from "../kernel/Ids.ts"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { StaffRepository } from "../ports/UserRepository.ts"
import { StaffNotFound, TotpCodeIncorrect } from "./StaffErrors.ts"
import { matchTotp, otpauthUri, TOTP_SECRET_BYTES } from "./totp.ts"
import type { Staff } from "./User.ts"

/** The label a staff member's TOTP secret is sealed under: a sealed secret copied to another account does not open. */
const label = (id: StaffId) => `staff-totp:${id}`

/**
 * X1 two-factor enrolment, step 1: the secret to scan, as an otpauth:// URI.
 * The same pending secret is shown until it is confirmed (a reload does not
 * invalidate what was scanned). An enrolled authenticator is never shown
 * again nor replaced from a session (a stolen session could swap it);
 * `signet admin reset-totp` is the operator's way back.
 */
export const totpEnrolment = Effect.fn("staff.totpEnrolment")(function*(staff: Staff) {
  const security = yield* StaffSecurity
  const sealer = yield* SecretSealer
  const totp = yield* security.totpOf(staff.id)
  if (totp.secret !== null) return { enrolled: true as const }
  let secret: Uint8Array
  if (totp.pending !== null) {
    secret = yield* sealer.unseal(label(staff.id), totp.pending)
  } else {
    secret = yield* (yield* Crypto).randomBytes(TOTP_SECRET_BYTES)
    yield* security.setPendingTotp(staff.id, yield* sealer.seal(label(staff.id), secret))
  }
  return { enrolled: false as const, uri: otpauthUri(secret, staff.username) }
})

/** X1 two-factor enrolment, step 2: the first code from the app confirms the pending secret, which becomes the account's. */
export const confirmTotpEnrolment = Effect.fn("staff.confirmTotpEnrolment")(function*(staff: Staff, code: string) {
  const security = yield* StaffSecurity
  const totp = yield* security.totpOf(staff.id)
  if (totp.secret !== null || totp.pending === null) return yield* new TotpCodeIncorrect()
  const secret = yield* (yield* SecretSealer).unseal(label(staff.id), totp.pending)
  const step = matchTotp(yield* Crypto, secret, code, yield* Clock.currentTimeMillis, null)
  if (step === undefined) return yield* new TotpCodeIncorrect()
  yield* withEvidence(security.enableTotp(staff.id, totp.pending, step), () => ({
    type: "staff.totp_enrolled", subjectId: staff.id, role: "staff", actor: staff.id,
  }))
})

/**
 * Whether `code` is the account's current code, not used before; it is used
 * up by this check (the step is recorded atomically, so the same code cannot
 * open a second session, even in another process). True for an account
 * without an authenticator.
 */
export const checkStaffCode = Effect.fn("staff.checkCode")(function*(id: StaffId, code: string) {
  const security = yield* StaffSecurity
  const totp = yield* security.totpOf(id)
  if (totp.secret === null) return true
  const secret = yield* (yield* SecretSealer).unseal(label(id), totp.secret)
  const step = matchTotp(yield* Crypto, secret, code, yield* Clock.currentTimeMillis, totp.lastStep)
  return step !== undefined && (yield* security.useTotpStep(id, step))
})

/** Whether the account has a confirmed authenticator. */
export const hasTotp = Effect.fn("staff.hasTotp")(function*(id: StaffId) {
  return (yield* (yield* StaffSecurity).totpOf(id)).secret !== null
})

/** The operator's reset (`signet admin reset-totp`) for a lost phone: the account enrols again at its next log-in. */
export const resetStaffTotp = Effect.fn("staff.resetTotp")(function*(username: string) {
  const staff = yield* (yield* StaffRepository).findByUsername(username)
  if (staff._tag === "None") return yield* new StaffNotFound()
  const security = yield* StaffSecurity
  yield* withEvidence(security.removeTotp(staff.value.id), () => ({ type: "staff.totp_reset", subjectId: staff.value.id, role: "system" }))
  return staff.value
})
