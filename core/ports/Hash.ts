import { Context } from "effect"

/**
 * Document digests for evidence: SHA-256 (international) and SM3 (GB/T
 * 32905-2016, required by Chinese e-evidence practice). Events about a
 * document carry both. Adapters: `adapters/evidence-hash` (OpenSSL through
 * node:crypto; a pure-TypeScript layer from core/crypto for other runtimes).
 */
export class Hash extends Context.Service<Hash, {
  readonly sha256: (data: Uint8Array) => Uint8Array
  readonly sm3: (data: Uint8Array) => Uint8Array
}>()("core/ports/Hash") {}
