import { Context } from "effect"

/**
 * The server-side key that codes are HMAC'd under before they are stored.
 * Six digits are easy to brute-force from a bare hash; with the key kept out
 * of the database, a leaked table reveals nothing.
 */
export class OtpSecret extends Context.Service<OtpSecret, { readonly key: Uint8Array }>()("core/otp/OtpSecret") {}
