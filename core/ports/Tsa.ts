import { Context, Data, type Effect } from "effect"

/** The time-stamping authority did not answer with a granted token. */
export class TimestampFailed extends Data.TaggedError("TimestampFailed")<{ readonly reason: string }> {}

export interface TsaShape {
  /** RFC 3161 TimeStampToken (DER ContentInfo) over a SHA-256 message imprint. */
  readonly timestamp: (sha256Imprint: Uint8Array) => Effect.Effect<Uint8Array, TimestampFailed>
}

/** An RFC 3161 time-stamping authority (local or remote over HTTP). */
export class Tsa extends Context.Service<Tsa, TsaShape>()("core/ports/Tsa") {}
