import { Context, Schema, type Effect } from "effect"

/** A sealed secret would not open: another label, another master key, or altered text. */
export class SecretUnsealFailed extends Schema.TaggedError<SecretUnsealFailed>()("SecretUnsealFailed", { label: Schema.String }) {}

/**
 * Small secrets kept in the database encrypted under the platform's master
 * key (staff TOTP secrets). The label is bound to the sealed text, so a
 * sealed value copied to another row (another label) does not open.
 */
export class SecretSealer extends Context.Service<SecretSealer, {
  readonly seal: (label: string, plaintext: Uint8Array) => Effect.Effect<string>
  readonly unseal: (label: string, sealed: string) => Effect.Effect<Uint8Array, SecretUnsealFailed>
}>()("core/ports/SecretSealer") {}
