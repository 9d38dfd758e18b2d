import { Schema } from "effect"

/** A proof was asked for a leaf or tree size the log does not have (yet). */
export class TreeSizeOutOfRange extends Schema.TaggedError<TreeSizeOutOfRange>()("TreeSizeOutOfRange", {
  requested: Schema.Number,
  size: Schema.Number,
}) {}

/** A value cannot be put into canonical JSON (a non-finite number, undefined, a function...). */
export class NotCanonicalJson extends Schema.TaggedError<NotCanonicalJson>()("NotCanonicalJson", {
  reason: Schema.String,
}) {}

/** No checkpoint has been issued yet, or none covers the requested events. */
export class NoCheckpoint extends Schema.TaggedError<NoCheckpoint>()("NoCheckpoint", {}) {}

/** The log key could not sign a checkpoint (key missing, key store locked). */
export class CheckpointSigningFailed extends Schema.TaggedError<CheckpointSigningFailed>()("CheckpointSigningFailed", {
  reason: Schema.String,
}) {}

/** A cosignature came from a witness this log is not configured to accept (unknown name or key). */
export class WitnessUnknown extends Schema.TaggedError<WitnessUnknown>()("WitnessUnknown", {
  name: Schema.String,
}) {}

/** A cosignature line is malformed, does not verify, or is dated in the future. */
export class CosignatureInvalid extends Schema.TaggedError<CosignatureInvalid>()("CosignatureInvalid", {
  reason: Schema.String,
}) {}

/** A witness cosigned a checkpoint text this log never issued (a forged or forked view). */
export class CheckpointNotIssued extends Schema.TaggedError<CheckpointNotIssued>()("CheckpointNotIssued", {
  size: Schema.Number,
}) {}
