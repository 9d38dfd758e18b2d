import { Schema } from "effect"

/** The font has no glyph for these characters of a seal's text (a blank would be a forged-looking seal). */
export class SealTextUnprintable extends Schema.TaggedError<SealTextUnprintable>()("SealTextUnprintable", {
  characters: Schema.String,
}) {}

/** An uploaded seal or signature image is not a usable PNG/JPEG (type by content, size, dimensions, blank). */
export class SealImageRejected extends Schema.TaggedError<SealImageRejected>()("SealImageRejected", {
  reason: Schema.Literals(["empty", "tooLarge", "type", "dimensions", "corrupt", "blank", "busy"]),
  detail: Schema.String,
}) {}

/** The seal is disabled (停用): nobody may use it until it is enabled again. */
export class SealDisabled extends Schema.TaggedError<SealDisabled>()("SealDisabled", {
  sealId: Schema.String,
}) {}

/** The actor is not (or no longer) authorized to use this seal, or it lies outside their branch. */
export class SealNotAuthorized extends Schema.TaggedError<SealNotAuthorized>()("SealNotAuthorized", {
  sealId: Schema.String,
}) {}

/**
 * No live delegation lets the actor use this signatory's signature for this
 * contract: never delegated, revoked, not yet valid, expired, or scoped to another branch.
 */
export class SignatureNotDelegated extends Schema.TaggedError<SignatureNotDelegated>()("SignatureNotDelegated", {
  signatoryUserId: Schema.String,
}) {}

/** The signatory has no signature image on file (nothing to draw or delegate). */
export class SignatureMissing extends Schema.TaggedError<SignatureMissing>()("SignatureMissing", {
  signatoryUserId: Schema.String,
}) {}

/** A delegation's window ends before it starts, or has already ended. */
export class DelegationWindowInvalid extends Schema.TaggedError<DelegationWindowInvalid>()("DelegationWindowInvalid", {}) {}

/** The member cannot hold this seal: not an active member whose role and branch let them use it. */
export class SealGrantTargetInvalid extends Schema.TaggedError<SealGrantTargetInvalid>()("SealGrantTargetInvalid", {
  userId: Schema.String,
}) {}

/** This kind of seal is not generated (a 法定代表人章 is uploaded). */
export class SealTypeNotGenerated extends Schema.TaggedError<SealTypeNotGenerated>()("SealTypeNotGenerated", {
  type: Schema.String,
}) {}

/** A signature can be delegated only to another active agent of the enterprise. */
export class DelegationTargetInvalid extends Schema.TaggedError<DelegationTargetInvalid>()("DelegationTargetInvalid", {
  userId: Schema.String,
}) {}
