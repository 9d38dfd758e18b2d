import { Context, type Duration, Effect } from "effect"
import type { RevocationFetcherShape, RevocationUnavailable } from "./RevocationFetcher.ts"
import type { TimestampFailed, TsaShape } from "./Tsa.ts"
import type { PdfError, SignatureContentsTooSmall } from "../signing/pdf/PdfErrors.ts"
import type { Crypto } from "./Crypto.ts"

/**
 * PAdES baseline levels (ETSI EN 319 142-1): B-B a CAdES signature; B-T with
 * a signature timestamp; B-LT plus the validation data (DSS) in the file;
 * B-LTA plus a document timestamp over it all, renewed before it expires.
 */
export const PADES_LEVELS = ["B-B", "B-T", "B-LT", "B-LTA"] as const
export type PadesLevel = (typeof PADES_LEVELS)[number]

/** What a level needs: the services it calls. */
export interface PadesConfig {
  readonly level: PadesLevel
  /** Required from B-T up. */
  readonly tsa: TsaShape | undefined
  /** Required from B-LT up: where the validation data comes from. */
  readonly revocation: RevocationFetcherShape | undefined
  /** Roots the chains in the DSS end at (the TrustList). */
  readonly trustRoots: ReadonlyArray<Uint8Array>
}

export interface PadesProfileShape {
  readonly level: PadesLevel
  /** The signature timestamp's TSA (undefined at B-B). */
  readonly tsa: TsaShape | undefined
  /** Brings a freshly signed file to the level (B-LT: DSS; B-LTA: DSS and document timestamp); identity below B-LT. */
  readonly extend: (signed: Uint8Array) => Effect.Effect<Uint8Array, TimestampFailed | RevocationUnavailable | PdfError | SignatureContentsTooSmall, Crypto>
  /**
   * Archive renewal (B-LTA, core/signing/ltv/renewal.ts): the file with a new DSS and document timestamp when its newest
   * document timestamp's TSA certificate expires within `window` from now; undefined when it does not (or has none).
   */
  readonly renew: (bytes: Uint8Array, window: Duration.Input) => Effect.Effect<Uint8Array | undefined, TimestampFailed | RevocationUnavailable | PdfError | SignatureContentsTooSmall, Crypto>
}

/**
 * The deployment's signing level (SIGNET_PADES_LEVEL) with the services it
 * needs (core/signing/ltv/padesLevel.ts `padesProfile`). Unwired it is B-B,
 * what Signet signed before levels were configurable; the platform layers
 * set it (the dev profile: B-LTA).
 */
export const PadesProfile = Context.Reference<PadesProfileShape>("core/ports/PadesProfile", {
  defaultValue: () => ({ level: "B-B", tsa: undefined, extend: (signed) => Effect.succeed(signed), renew: () => Effect.succeed(undefined) }),
})
