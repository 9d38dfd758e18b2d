import { Context } from "effect"
import type { RevocationFetcherShape } from "./RevocationFetcher.ts"
import type { TsaShape } from "./Tsa.ts"

/**
 * PAdES baseline levels (ETSI EN 319 142-1): B-B a CAdES signature; B-T with
 * a signature timestamp; B-LT plus the validation data (DSS) in the file;
 * B-LTA plus a document timestamp over it all, renewed before it expires.
 */
export const PADES_LEVELS = ["B-B", "B-T", "B-LT", "B-LTA"] as const
export type PadesLevel = (typeof PADES_LEVELS)[number]

export interface PadesProfileShape {
  readonly level: PadesLevel
  /** Required from B-T up. */
  readonly tsa: TsaShape | undefined
  /** Required from B-LT up: where the validation data comes from. */
  readonly revocation: RevocationFetcherShape | undefined
  /** Roots the chains in the DSS end at (the TrustList). */
  readonly trustRoots: ReadonlyArray<Uint8Array>
}

/**
 * The deployment's signing level (SIGNET_PADES_LEVEL), with the services it
 * needs. Unwired it is B-B, what Signet signed before levels were
 * configurable; the platform layers set it (the dev profile: B-LTA).
 */
export const PadesProfile = Context.Reference<PadesProfileShape>("core/ports/PadesProfile", {
  defaultValue: () => ({ level: "B-B", tsa: undefined, revocation: undefined, trustRoots: [] }),
})
