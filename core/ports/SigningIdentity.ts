import { Context, type Effect, Schema } from "effect"
import type { User } from "../accounts/User.ts"
import type { Signer } from "./Signer.ts"

/** No signing identity can be made for this user (not verified, key store locked, CA down). */
export class SigningIdentityUnavailable extends Schema.TaggedError<SigningIdentityUnavailable>()("SigningIdentityUnavailable", {
  reason: Schema.String,
}) {}

/**
 * The platform-held identity a person signs with: a certificate in their
 * name with its key in the key store. Adapters issue the certificate through
 * the CA on first use; the image drawn at their field is the core's
 * (`handwrittenImage` in core/seals/signatures.ts).
 */
export class SigningIdentity extends Context.Service<SigningIdentity, {
  readonly person: (user: User) => Effect.Effect<{ readonly signer: Signer }, SigningIdentityUnavailable>
}>()("core/ports/SigningIdentity") {}
