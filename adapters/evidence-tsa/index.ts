/**
 * Timestamps for checkpoints without a network hop: the RFC 3161 responder of
 * adapters/tsa called in-process with a software CA's TSA key. For
 * development and tests; production points the `Tsa` port at a real TSA
 * (adapters/tsa `layer(url)`).
 */
import { randomBytes } from "node:crypto"
import { Effect, Layer } from "effect"
import { openCa, tsaSigner, type CaHome } from "../ca/index.ts"
import type { Signer } from "../../core/ports/Signer.ts"
import { TimestampFailed, Tsa, type TsaShape } from "../../core/ports/Tsa.ts"
import { buildRequest, respond, tokenFromResponse } from "../tsa/index.ts"

export const localTsa = (signer: Signer): TsaShape => ({
  timestamp: (imprint) => {
    const nonce = randomBytes(8)
    nonce[0] = ((nonce[0] ?? 0) & 0x7f) | 0x01
    return respond(buildRequest(imprint, nonce), { signer }).pipe(
      Effect.flatMap((response) => Effect.try(() => tokenFromResponse(response, imprint, nonce))),
      Effect.mapError((e) => new TimestampFailed({ reason: String(e) })),
    )
  },
})

/** The dev CA in `home` (created on first use) and its TSA: returns the Tsa and the root certificate (DER) that verifiers trust. */
export const openDevTsa = (home: CaHome, masterKey: Uint8Array) =>
  Effect.map(openCa(home, masterKey), (ca) => ({ tsa: localTsa(tsaSigner(ca)), rootDer: ca.rootDer }))

/**
 * The dev TSA as a layer. The CA is opened (created on a first run) only when
 * the first checkpoint is timestamped, so apps and tests that never publish
 * pay nothing, and a CA other layers create at start-up is reused.
 */
export const layerDevTsa = (home: CaHome, masterKey: Uint8Array) =>
  Layer.effect(
    Tsa,
    Effect.map(Effect.cached(openDevTsa(home, masterKey).pipe(Effect.mapError((e) => new TimestampFailed({ reason: `dev TSA: ${String(e)}` })))), (open) => ({
      timestamp: (imprint: Uint8Array) => Effect.flatMap(open, (d) => d.tsa.timestamp(imprint)),
    })),
  )
