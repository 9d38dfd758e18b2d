import { Context } from "effect"

/**
 * The WebCrypto implementation pkijs verifies with (certificate and CMS
 * signatures). Core never reads `globalThis.crypto`; Node supplies
 * `node:crypto`'s `webcrypto`, Deno its global.
 */
export class WebCrypto extends Context.Service<WebCrypto, { readonly crypto: Crypto }>()("core/signing/WebCrypto") {}
