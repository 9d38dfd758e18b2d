import { Schema } from "effect"
import { Millis } from "../kernel/Millis.ts"

/** What an auto-signing authorization covers: contracts made from these templates, or with only these counterparties. */
export const AutoSignScopeKind = Schema.Literals(["templates", "counterparties"])
export type AutoSignScopeKind = typeof AutoSignScopeKind.Type

/**
 * 自动签署授权: the enterprise's admin lets partner systems (its API keys)
 * sign with one seal, without a person, within a scope, a window and a
 * number of uses. Revoking stops the next use; uses made stay valid.
 */
export class AutoSignAuthorization extends Schema.Class<AutoSignAuthorization>("AutoSignAuthorization")({
  id: Schema.String,
  enterpriseId: Schema.String,
  sealId: Schema.String,
  scopeKind: AutoSignScopeKind,
  /** Template ids, or counterparties by name (enterprise or person) or mobile. */
  scopeValues: Schema.Array(Schema.String),
  validFrom: Millis,
  validUntil: Millis,
  maxCount: Schema.Int,
  usedCount: Schema.Int,
  grantedBy: Schema.String,
  createdAt: Millis,
  revokedAt: Schema.NullOr(Millis),
  revokedBy: Schema.NullOr(Schema.String),
}) {}

/** What the admin asks for (portal form, decoded). */
export const AutoSignInput = Schema.Struct({
  sealId: Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{1,19}$/, { message: "seal.required" }))),
  scopeKind: AutoSignScopeKind,
  scopeValues: Schema.Array(Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "text.trim" }), Schema.isBetweenLength(1, 60, { message: "text.length" }))))
    .pipe(Schema.check(Schema.isMinLength(1, { message: "autoSign.scope.required" }), Schema.isMaxLength(50, { message: "autoSign.scope.tooMany" }))),
  validFrom: Millis,
  validUntil: Millis,
  maxCount: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 100_000 }, { message: "autoSign.maxCount.range" }))),
})
export type AutoSignInput = typeof AutoSignInput.Type

/** Why an API auto-signing request was refused: nothing was written. */
export type AutoSignRefusal = "none" | "revoked" | "expired" | "notYetValid" | "outOfScope" | "overCount"

/** The API asked to auto-sign a contract no live authorization covers. */
export class AutoSignRefused extends Schema.TaggedError<AutoSignRefused>()("AutoSignRefused", {
  reason: Schema.Literals(["none", "revoked", "expired", "notYetValid", "outOfScope", "overCount"]),
}) {}

/** The window ends before it starts, or already ended. */
export class AutoSignWindowInvalid extends Schema.TaggedError<AutoSignWindowInvalid>()("AutoSignWindowInvalid", {}) {}
