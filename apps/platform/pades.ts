/**
 * The deployment's PAdES level for contract signatures (SIGNET_PADES_LEVEL):
 * the TSA at SIGNET_TSA_URL, else in the dev profile the dev CA's own TSA;
 * revocation answers from the services each certificate names, or in the dev
 * profile from the dev CA's OCSP responder called in-process (like its TSA).
 * The CA is opened on the first signature that needs it, not at start-up.
 */
import { webcrypto } from "node:crypto"
import { Effect, Layer } from "effect"
import { localRevocationFetcher, openCa, tsaSigner } from "../../adapters/ca/index.ts"
import { makeRevocationFetcher } from "../../adapters/ca/revocationFetcher.ts"
import { localTsa } from "../../adapters/evidence-tsa/index.ts"
import { makeHttpTsa } from "../../adapters/tsa/index.ts"
import { PadesProfile } from "../../core/ports/PadesProfile.ts"
import { TimestampFailed, type TsaShape } from "../../core/ports/Tsa.ts"
import { TrustList } from "../../core/ports/TrustList.ts"
import { padesProfile } from "../../core/signing/ltv/padesLevel.ts"
import type { Config } from "./config.ts"
import { layerOnKeyHomes } from "./keyHomes.ts"

export const layerPades = (config: Config, masterKey: Uint8Array) =>
  layerOnKeyHomes(config, (homes) =>
    Layer.effect(
      PadesProfile,
      Effect.gen(function*() {
        const trustRoots = (yield* TrustList).roots
        const ca = yield* Effect.cached(openCa(homes.ca, masterKey))
        const devTsa: TsaShape = {
          timestamp: (imprint) =>
            Effect.flatMap(Effect.mapError(ca, (e) => new TimestampFailed({ reason: `dev TSA: ${String(e)}` })), (c) => localTsa(tsaSigner(c)).timestamp(imprint)),
        }
        const tsa = config.tsaUrl !== null ? makeHttpTsa(config.tsaUrl) : config.profile === "dev" ? devTsa : undefined
        const revocation = config.profile === "dev" ? localRevocationFetcher(ca) : makeRevocationFetcher()
        return padesProfile({ level: config.padesLevel, tsa, revocation, trustRoots }, { crypto: webcrypto as unknown as Crypto })
      }),
    ))
