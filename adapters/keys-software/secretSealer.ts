/**
 * `SecretSealer` with the software key store's sealing: AES-256-GCM under the
 * master key, the label as additional data; stored as the same JSON a sealed
 * key file holds.
 */
import { Effect, Layer, Schema } from "effect"
import { SecretSealer, SecretUnsealFailed } from "../../core/ports/SecretSealer.ts"
import { seal, unseal } from "./keyStore.ts"

const Sealed = Schema.fromJsonString(Schema.Struct({ type: Schema.Literal("secret"), iv: Schema.String, tag: Schema.String, data: Schema.String }))

export const layerSecretSealer = (masterKey: Uint8Array) => {
  if (masterKey.length !== 32) throw new Error("master key must be 32 bytes")
  return Layer.succeed(SecretSealer, {
    seal: (label, plaintext) => Effect.sync(() => JSON.stringify(seal(masterKey, label, plaintext, "secret"))),
    unseal: (label, sealed) =>
      Effect.try({
        try: () => unseal(masterKey, label, Schema.decodeUnknownSync(Sealed)(sealed)),
        catch: () => new SecretUnsealFailed({ label }),
      }),
  })
}
