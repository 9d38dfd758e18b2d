import { Context, type Effect, Schema } from "effect"
import type { Signer } from "./Signer.ts"

/** The seal's key or certificate could not be made or opened (key store locked, CA down). */
export class SealIdentityFailed extends Schema.TaggedError<SealIdentityFailed>()("SealIdentityFailed", {
  reason: Schema.String,
}) {}

export interface SealSubject {
  readonly sealId: string
  readonly sealName: string
  readonly enterpriseName: string
  readonly creditCode: string
}

/**
 * The signing identity bound to an enterprise seal (E5): created with the
 * seal, a key in the platform key store and an enterprise certificate from
 * the CA (O = enterprise name, organizationIdentifier = the unified social
 * credit code, CN = the seal's name). Adapter: `adapters/signing-identity`.
 */
export class SealIdentity extends Context.Service<SealIdentity, {
  /** Generates the seal's key and has the CA certify it; returns the key's label and the certificate (DER). */
  readonly issue: (subject: SealSubject) => Effect.Effect<{ readonly keyLabel: string; readonly certificate: Uint8Array; readonly serialHex: string }, SealIdentityFailed>
  /** A signer over the seal's key, with the issuing chain, for one signing act. */
  readonly signer: (keyLabel: string, certificate: Uint8Array) => Effect.Effect<Signer, SealIdentityFailed>
}>()("core/ports/SealIdentity") {}
