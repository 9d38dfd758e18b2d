/**
 * Issue 19 item 7: each hand-written piece against the well-kept library that would replace it, alternated in the same
 * run (`npm run bench handwritten`). (1) The Merkle node hash SHA-256(0x01 || left || right) of the evidence log:
 * core/crypto/sha256Node.ts (unrolled, precomputed second block) against @noble/hashes (pure JS, installed as a
 * dependency of other packages; hash-wasm is not installed) and against the generic pure SHA-256 of sha256.ts; node's
 * createHash as the native floor (core cannot use node: modules). (2) A PAdES signature's CMS: the DER writer of
 * core/signing/cms against the pkijs construction it replaced (the same bytes, cades.test.ts). (3) Hex and base64 of
 * short inputs (a digest, a salt): the helpers against effect's Encoding.
 */
import { createHash, randomBytes } from "node:crypto"
import { loadavg } from "node:os"
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js"
import { Base64, Hex } from "effect/encoding"
import { cmsDer, signedAttributesDer } from "../core/signing/cms/cades.ts"
import { base64 } from "../core/crypto/asciiText.ts"
import { sha256 as pureSha256 } from "../core/crypto/sha256.ts"
import { nodeHashInto } from "../core/crypto/sha256Node.ts"
import { openTestCa, testSigner } from "../fixtures/signing/pki.ts"
import { pkijsCms } from "../fixtures/signing/pkijsCms.ts"
import { fmt, ratio } from "./measure.ts"

/** Median time per call in µs of each variant, measured in alternated batches of `n` calls. */
const alternated = (variants: Record<string, (i: number) => unknown>, n: number, rounds = 15) => {
  const times: Record<string, Array<number>> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]))
  for (let r = -2; r < rounds; r++) {
    for (const [k, f] of Object.entries(variants)) {
      const t = performance.now()
      for (let i = 0; i < n; i++) f(i)
      if (r >= 0) times[k]!.push(((performance.now() - t) * 1000) / n)
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, xs.sort((a, b) => a - b)[xs.length >> 1]!]))
}

const us = (x: number) => `${fmt(x)} µs`

/** The hex loop core/signing/pdf/bytes.ts had (and core/otp/codeHash.ts a copy of) before effect's Hex.encode replaced it. */
const loopHex = (bytes: Uint8Array): string => {
  let out = ""
  for (const b of bytes) out += b.toString(16).padStart(2, "0")
  return out
}

export default async function run(): Promise<string> {
  const load = [loadavg()[0]!]
  // (1) Merkle nodes: 1,024 pairs of child hashes, hashed in turn.
  const children = Array.from({ length: 1024 }, () => new Uint8Array(randomBytes(32)))
  const out = new Uint8Array(32)
  const joined = new Uint8Array(65)
  const node = alternated({
    handwritten: (i) => nodeHashInto(1, children[i & 1023]!, children[(i + 1) & 1023]!, out),
    noble: (i) => {
      joined[0] = 1
      joined.set(children[i & 1023]!, 1)
      joined.set(children[(i + 1) & 1023]!, 33)
      return nobleSha256(joined)
    },
    genericPure: (i) => pureSha256(new Uint8Array([1]), children[i & 1023]!, children[(i + 1) & 1023]!.subarray(0, 31), children[(i + 1) & 1023]!.subarray(31)),
    nodeCrypto: (i) => createHash("sha256").update(new Uint8Array([1])).update(children[i & 1023]!).update(children[(i + 1) & 1023]!).digest(),
  }, 20_000)
  const same = Buffer.from(nodeHashInto(1, children[0]!, children[1]!, new Uint8Array(32))).equals(Buffer.from(nobleSha256(new Uint8Array([1, ...children[0]!, ...children[1]!]))))
  load.push(loadavg()[0]!)

  // (2) CMS of one signature (RSA, a chain of one), attributes and SignedData.
  const ca = await openTestCa()
  const { signer } = await testSigner(ca, "rsa")
  const digest = new Uint8Array(randomBytes(32))
  const signature = new Uint8Array(randomBytes(256))
  const certHash = new Uint8Array(createHash("sha256").update(signer.certificate).digest())
  const cms = alternated({
    handwritten: () => cmsDer({ algorithm: signer.algorithm, certificate: signer.certificate, chain: signer.chain, signedAttributes: signedAttributesDer(digest, signer.certificate, certHash), signature }),
    pkijs: () => pkijsCms({ algorithm: signer.algorithm, certificate: signer.certificate, chain: signer.chain, digest, signature }),
  }, 200, 9)
  load.push(loadavg()[0]!)

  // (3) Hex of a digest and base64 of a 16-byte salt.
  const digests = Array.from({ length: 256 }, () => new Uint8Array(randomBytes(32)))
  const salts = Array.from({ length: 256 }, () => new Uint8Array(randomBytes(16)))
  const hex = alternated({ handwritten: (i) => loopHex(digests[i & 255]!), effect: (i) => Hex.encode(digests[i & 255]!) }, 20_000)
  const b64 = alternated({ handwritten: (i) => base64(salts[i & 255]!), effect: (i) => Base64.encode(salts[i & 255]!) }, 20_000)
  load.push(loadavg()[0]!)

  return `## Hand-written pieces against libraries (issue 19 item 7)

Median per call of 15 alternated batches (CMS: 9 batches of 200), in this process. Load average (1 min) at the start of each part: ${load.map((l) => l.toFixed(1)).join(", ")} on 2 shared cores.
hash-wasm is not installed; @noble/hashes ${same ? "(same digest checked)" : "(DIGEST DIFFERS)"} is present only as another package's dependency.

| piece | hand-written | library | library / hand-written | floor or other |
|---|---|---|---|---|
| Merkle node SHA-256 (65 bytes), core/crypto/sha256Node.ts | ${us(node.handwritten!)} | @noble/hashes ${us(node.noble!)} | ${ratio(node.noble!, node.handwritten!)} | generic pure sha256.ts ${us(node.genericPure!)} (${ratio(node.genericPure!, node.handwritten!)}); node:crypto createHash ${us(node.nodeCrypto!)} (${ratio(node.nodeCrypto!, node.handwritten!)}) |
| CMS SignedData of a signature, core/signing/cms (DER writer) | ${us(cms.handwritten!)} | pkijs ${us(cms.pkijs!)} | ${ratio(cms.pkijs!, cms.handwritten!)} | |
| hex of a 32-byte digest: the loop toHex was (now effect's) | ${us(hex.handwritten!)} | effect Hex.encode ${us(hex.effect!)} | ${ratio(hex.effect!, hex.handwritten!)} | |
| base64 of a 16-byte salt, core/crypto/asciiText.ts | ${us(b64.handwritten!)} | effect Base64.encode ${us(b64.effect!)} | ${ratio(b64.effect!, b64.handwritten!)} | |
`
}
