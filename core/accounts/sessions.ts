import { Clock, Effect, Option } from "effect"
import { Crypto } from "../ports/Crypto.ts"
import { SessionRepository } from "../ports/SessionRepository.ts"
import { toHex } from "../otp/codeHash.ts"
import { Session, type SessionKind } from "./User.ts"

/** Users stay logged in a week; staff sessions last a working day. */
export const SessionTtlMs: Record<SessionKind, number> = {
  user: 7 * 24 * 60 * 60_000,
  staff: 8 * 60 * 60_000,
}

const encoder = new TextEncoder()

const base64Url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")

/** The stored key of a session token: SHA-256 of it, hex. */
export const tokenHash = Effect.fn("sessions.tokenHash")(function*(token: string) {
  return toHex((yield* Crypto).sha256(encoder.encode(token)))
})

/**
 * Starts a fresh session (a new random token every log-in, so a token known
 * before log-in is worthless after it). Returns the token for the cookie.
 */
export const startSession = Effect.fn("sessions.start")(function*(kind: SessionKind, subjectId: string) {
  const crypto = yield* Crypto
  const now = yield* Clock.currentTimeMillis
  const token = base64Url(yield* crypto.randomBytes(32))
  const session = new Session({
    tokenHash: yield* tokenHash(token),
    kind,
    subjectId,
    csrfSecret: toHex(yield* crypto.randomBytes(16)),
    createdAt: now,
    expiresAt: now + SessionTtlMs[kind],
  })
  yield* (yield* SessionRepository).insert(session)
  return { token, session }
})

/** The live session of `kind` behind `token`, if any. A user token never opens a staff session. */
export const resolveSession = Effect.fn("sessions.resolve")(function*(kind: SessionKind, token: string) {
  const now = yield* Clock.currentTimeMillis
  const found = yield* (yield* SessionRepository).find(yield* tokenHash(token))
  return Option.filter(found, (s) => s.kind === kind && s.expiresAt > now)
})

export const endSession = Effect.fn("sessions.end")(function*(token: string) {
  yield* (yield* SessionRepository).delete(yield* tokenHash(token))
})
