import { Context } from "effect"

/**
 * The server key API and webhook secrets are derived from. HMAC signatures
 * need the verifier to hold the signing key, so a key that is only hashed
 * cannot check them; deriving secret = HMAC(this key, kind ‖ id ‖ salt)
 * keeps every secret out of the database (a leaked table signs nothing)
 * without encrypting anything. It is derived from the session secret (see
 * apps/platform/layers.ts): changing that secret invalidates every key.
 */
export class ApiSecret extends Context.Service<ApiSecret, { readonly key: Uint8Array }>()("core/api/ApiSecret") {}
