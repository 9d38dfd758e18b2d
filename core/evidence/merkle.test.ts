import { describe, expect, it } from "@effect/vitest"
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { Effect, Layer } from "effect"
import { layer as layerCrypto } from "../../adapters/crypto-node/index.ts"
import { sha256 as pureSha256 } from "../crypto/sha256.ts"
import { Crypto } from "../ports/Crypto.ts"
import { layerMemoryTreeStore } from "./memoryTreeStore.ts"
import { leafHash, nodeHash, splitPoint, verifyConsistency, verifyInclusion, type Sha256 } from "./merkle.ts"
import { appendLeaves, consistencyProof, inclusionProof, treeRoot } from "./tree.ts"

const sha256: Sha256 = Effect.runSync(Crypto.useSync((c) => c.sha256).pipe(Effect.provide(layerCrypto)))
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")
const unhex = (s: string) => new Uint8Array((s.match(/../g) ?? []).map((x) => parseInt(x, 16)))

/** RFC 6962 MTH, written straight from the definition: the reference the stored tree must agree with. */
const mth = (leaves: ReadonlyArray<Uint8Array>): Uint8Array => {
  if (leaves.length === 0) return sha256()
  if (leaves.length === 1) return leafHash(sha256, leaves[0]!)
  const k = splitPoint(leaves.length)
  return nodeHash(sha256, mth(leaves.slice(0, k)), mth(leaves.slice(k)))
}

// Certificate Transparency known-answer vectors (transparency-dev/merkle reference_test.go).
const CT_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(unhex)
const CT_ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
const CT_INCLUSION: ReadonlyArray<readonly [size: number, index: number, proof: ReadonlyArray<string>]> = [
  [1, 0, []],
  [2, 0, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"]],
  [2, 1, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"]],
  [3, 2, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]],
  [5, 1, [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
  ]],
  [8, 0, [
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
  ]],
  [8, 5, [
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  ]],
]
const CT_CONSISTENCY: ReadonlyArray<readonly [oldSize: number, newSize: number, proof: ReadonlyArray<string>]> = [
  [1, 1, []],
  [1, 8, [
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
  ]],
  [2, 5, [
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
  ]],
  [6, 8, [
    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  ]],
]

const layer = Layer.mergeAll(layerMemoryTreeStore, layerCrypto)
/** A fresh in-memory tree holding `leaves` (appended in the given batch sizes). */
const withTree = <A, E>(leaves: ReadonlyArray<Uint8Array>, batches: ReadonlyArray<number>, body: Effect.Effect<A, E, any>) =>
  Effect.gen(function*() {
    let at = 0
    for (const b of batches) {
      yield* appendLeaves(leaves.slice(at, at + b).map((l) => leafHash(sha256, l)))
      at += b
    }
    yield* appendLeaves(leaves.slice(at).map((l) => leafHash(sha256, l)))
    return yield* body
  }).pipe(Effect.provide(layer)) as Effect.Effect<A, E>

const flip = (proof: ReadonlyArray<Uint8Array>, which: number, bit: number) =>
  proof.map((p, i) => {
    if (i !== which % proof.length) return p
    const q = p.slice()
    q[(bit >> 3) % 32]! ^= 1 << (bit & 7)
    return q
  })

describe("Merkle log: CT known answers", () => {
  it.effect("empty tree, roots of sizes 1-8", () =>
    withTree(CT_LEAVES, [3, 1, 2], Effect.gen(function*() {
      expect(hex(yield* treeRoot(0))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
      for (let n = 1; n <= 8; n++) expect(hex(yield* treeRoot(n))).toBe(CT_ROOTS[n - 1])
    })))

  it.effect("inclusion proofs generate as the vectors and verify", () =>
    withTree(CT_LEAVES, [], Effect.gen(function*() {
      for (const [size, index, want] of CT_INCLUSION) {
        const proof = yield* inclusionProof(index, size)
        expect(proof.map(hex)).toEqual(want)
        expect(verifyInclusion(sha256, index, size, leafHash(sha256, CT_LEAVES[index]!), proof, unhex(CT_ROOTS[size - 1]!))).toBe(true)
        // The verifier's own pure SHA-256 (the tree above was built with it too) gives the same answers.
        expect(verifyInclusion(pureSha256, index, size, leafHash(pureSha256, CT_LEAVES[index]!), proof, unhex(CT_ROOTS[size - 1]!))).toBe(true)
      }
    })))

  it.effect("consistency proofs generate as the vectors and verify (old size a power of two: old root not in the proof)", () =>
    withTree(CT_LEAVES, [5], Effect.gen(function*() {
      for (const [m, n, want] of CT_CONSISTENCY) {
        const proof = yield* consistencyProof(m, n)
        expect(proof.map(hex)).toEqual(want)
        expect(verifyConsistency(sha256, m, n, unhex(CT_ROOTS[m - 1]!), unhex(CT_ROOTS[n - 1]!), proof)).toBe(true)
      }
      expect(verifyConsistency(sha256, 2, 5, unhex(CT_ROOTS[1]!), unhex(CT_ROOTS[4]!), [unhex(CT_ROOTS[1]!), ...(yield* consistencyProof(2, 5))])).toBe(false)
    })))
})

const arbLeaves = fc.array(fc.uint8Array({ maxLength: 8 }), { minLength: 1, maxLength: 40 })
const arbBatches = fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 6 })

describe("Merkle log: properties", () => {
  test.prop([arbLeaves, arbBatches], { numRuns: 60 })("stored roots equal the RFC definition at every size, however appends were batched", (leaves, batches) =>
    Effect.runPromise(withTree(leaves, batches, Effect.gen(function*() {
      for (let n = 0; n <= leaves.length; n++) expect(hex(yield* treeRoot(n))).toBe(hex(mth(leaves.slice(0, n))))
    }))))

  test.prop([arbLeaves, fc.nat()], { numRuns: 40 })("every leaf's proof verifies against every later size; any bit flip fails", (leaves, bit) =>
    Effect.runPromise(withTree(leaves, [], Effect.gen(function*() {
      for (let n = 1; n <= leaves.length; n++) {
        const root = mth(leaves.slice(0, n))
        for (let i = 0; i < n; i++) {
          const leaf = leafHash(sha256, leaves[i]!)
          const proof = yield* inclusionProof(i, n)
          expect(verifyInclusion(sha256, i, n, leaf, proof, root)).toBe(true)
          if (proof.length > 0) expect(verifyInclusion(sha256, i, n, leaf, flip(proof, bit, bit), root)).toBe(false)
          expect(verifyInclusion(sha256, i, n, flip([leaf], 0, bit)[0]!, proof, root)).toBe(false)
        }
      }
    }))))

  test.prop([arbLeaves, fc.nat()], { numRuns: 40 })("consistency between any two sizes verifies; a flipped bit or a wrong root fails", (leaves, bit) =>
    Effect.runPromise(withTree(leaves, [], Effect.gen(function*() {
      for (let n = 1; n <= leaves.length; n++) {
        const newRoot = mth(leaves.slice(0, n))
        for (let m = 1; m <= n; m++) {
          const oldRoot = mth(leaves.slice(0, m))
          const proof = yield* consistencyProof(m, n)
          expect(verifyConsistency(sha256, m, n, oldRoot, newRoot, proof)).toBe(true)
          if (proof.length > 0) expect(verifyConsistency(sha256, m, n, oldRoot, newRoot, flip(proof, bit, bit))).toBe(false)
          expect(verifyConsistency(sha256, m, n, flip([oldRoot], 0, bit)[0]!, newRoot, proof)).toBe(false)
          expect(verifyConsistency(sha256, m, n, oldRoot, flip([newRoot], 0, bit)[0]!, proof)).toBe(false)
        }
      }
    }))))

  it("rejects indexes and sizes out of range", () => {
    const root = mth(CT_LEAVES)
    expect(verifyInclusion(sha256, 8, 8, leafHash(sha256, CT_LEAVES[0]!), [], root)).toBe(false)
    expect(verifyInclusion(sha256, -1, 8, leafHash(sha256, CT_LEAVES[0]!), [], root)).toBe(false)
    expect(verifyConsistency(sha256, 9, 8, root, root, [])).toBe(false)
  })
})
