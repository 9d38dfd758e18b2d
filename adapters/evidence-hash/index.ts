/**
 * The Hash port. On Node, OpenSSL's SHA-256 and SM3 (about twice as fast as
 * the pure SM3 on large PDFs); `layerPure` uses core/crypto and runs
 * anywhere. core/crypto/sm3.test.ts holds the two to the same outputs.
 */
import { createHash } from "node:crypto"
import { Layer } from "effect"
import { sha256 } from "../../core/crypto/sha256.ts"
import { sm3 } from "../../core/crypto/sm3.ts"
import { Hash } from "../../core/ports/Hash.ts"

const native = (algorithm: "sha256" | "sm3") => (data: Uint8Array) => new Uint8Array(createHash(algorithm).update(data).digest())

export const layer = Layer.succeed(Hash, { sha256: native("sha256"), sm3: native("sm3") })

export const layerPure = Layer.succeed(Hash, { sha256: (data: Uint8Array) => sha256(data), sm3 })
