import { createPrivateKey } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Result } from "effect"
import { Base64 } from "effect/encoding"
import { layer as layerCrypto } from "../../adapters/crypto-node/index.ts"
import { makeNoteSigner } from "../../adapters/evidence-ed25519/index.ts"
import { webCryptoLayer } from "../../adapters/keys-software/index.ts"
import { Crypto } from "../ports/Crypto.ts"
import { TreeStore } from "../ports/TreeStore.ts"
import { compareCheckpoints } from "./fork.ts"
import { makeMemoryTreeStore } from "./memoryTreeStore.ts"
import { leafHash } from "./merkle.ts"
import { checkpointText, formatNote, formatVerifierKey, keyHashOf, parseCheckpoint, parseVerifierKey, verifierKeyOf, verifyNote } from "./note.ts"
import { appendLeaves, consistencyProof, treeRoot } from "./tree.ts"

const sha256 = Effect.runSync(Crypto.useSync((c) => c.sha256).pipe(Effect.provide(layerCrypto)))
const layer = Layer.mergeAll(layerCrypto, webCryptoLayer)

/** An Ed25519 key from its 32-byte seed (PKCS#8 = fixed prefix + seed). */
const fromSeed = (seed: Uint8Array) =>
  createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]), format: "der", type: "pkcs8" })

// golang.org/x/mod/sumdb/note's documented example: key, text and the note Go produces.
const GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
const GO_SEED = Result.getOrThrow(Base64.decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")).slice(1)
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`

const signNote = (signer: ReturnType<typeof makeNoteSigner>, text: string) =>
  Effect.map(signer.sign(new TextEncoder().encode(text)), (signature) => ({ name: signer.name, keyHash: keyHashOf(sha256, signer.name, signer.publicKey), signature }))

describe("signed notes and checkpoints (C2SP)", () => {
  it.layer(layer)((it) => {
    it.effect("interoperates with Go's sumdb/note: same verifier key, byte-identical note, and it verifies", () =>
      Effect.gen(function*() {
        const signer = makeNoteSigner("PeterNeumann", fromSeed(GO_SEED))
        const key = verifierKeyOf(sha256, signer.name, signer.publicKey)
        expect(formatVerifierKey(key)).toBe(GO_VKEY)
        expect(formatNote(GO_TEXT, [yield* signNote(signer, GO_TEXT)])).toBe(GO_NOTE)
        const verified = yield* verifyNote(GO_NOTE, [Result.getOrThrow(parseVerifierKey(sha256, GO_VKEY))])
        expect(Result.getOrThrow(verified).text).toBe(GO_TEXT)
        expect(Result.isFailure(parseVerifierKey(sha256, GO_VKEY.replace("c74f20a3", "c74f20a4")))).toBe(true)
      }))

    it.effect("ignores cosignatures by unknown keys; refuses altered text, a bad trusted signature, or no trusted signer", () =>
      Effect.gen(function*() {
        const log = makeNoteSigner("log.example/evidence", fromSeed(new Uint8Array(32).fill(7)))
        const witness = makeNoteSigner("witness.example", fromSeed(new Uint8Array(32).fill(9)))
        const logKey = verifierKeyOf(sha256, log.name, log.publicKey)
        const text = checkpointText(log.name, 8, sha256(new Uint8Array([1])))
        const note = formatNote(text, [yield* signNote(log, text), yield* signNote(witness, text)])
        expect(Result.getOrThrow(yield* verifyNote(note, [logKey])).verifiedBy).toEqual([log.name])
        expect(Result.getOrThrow(parseCheckpoint(text))).toMatchObject({ origin: log.name, size: 8, extensions: [] })
        expect(yield* verifyNote(note.replace("\n8\n", "\n9\n"), [logKey])).toEqual(Result.fail(`signature by ${log.name} does not verify`))
        expect(yield* verifyNote(note, [verifierKeyOf(sha256, "other", witness.publicKey)])).toEqual(Result.fail("no signature by a trusted key"))
        const forged = formatNote(text, [{ ...(yield* signNote(witness, text)), name: log.name, keyHash: logKey.keyHash }])
        expect(Result.isFailure(yield* verifyNote(forged, [logKey]))).toBe(true)
        expect(Result.isFailure(parseCheckpoint("origin\n-1\nAAAA\n"))).toBe(true)
      }))

    it.effect("fork detection from two checkpoints: same size different roots, or a later tree that does not extend", () =>
      Effect.gen(function*() {
        const log = makeNoteSigner("log.example/evidence", fromSeed(new Uint8Array(32).fill(3)))
        const trusted = [verifierKeyOf(sha256, log.name, log.publicKey)]
        const honest = makeMemoryTreeStore()
        const forked = makeMemoryTreeStore()
        const leaves = (tag: string, n: number) => Array.from({ length: n }, (_, i) => leafHash(sha256, new TextEncoder().encode(`${tag}${i}`)))
        const on = <A, E>(store: typeof honest, eff: Effect.Effect<A, E, TreeStore | Crypto>) => Effect.provideService(eff, TreeStore, store)
        yield* on(honest, appendLeaves(leaves("a", 6)))
        yield* on(forked, appendLeaves([...leaves("a", 5), ...leaves("evil", 1)]))
        const checkpoint = (store: typeof honest, size: number) =>
          Effect.gen(function*() {
            const text = checkpointText(log.name, size, yield* on(store, treeRoot(size)))
            return formatNote(text, [yield* signNote(log, text)])
          })
        const c4 = yield* checkpoint(honest, 4)
        const c6 = yield* checkpoint(honest, 6)
        const f6 = yield* checkpoint(forked, 6)
        yield* on(honest, appendLeaves(leaves("b", 4)))
        const c10 = yield* checkpoint(honest, 10)
        // The honest log's proofs link its own checkpoints, in either order of arguments.
        expect((yield* compareCheckpoints(c4, c10, yield* on(honest, consistencyProof(4, 10)), trusted)).verdict).toBe("consistent")
        expect((yield* compareCheckpoints(c10, c6, yield* on(honest, consistencyProof(6, 10)), trusted)).verdict).toBe("consistent")
        // Two signed roots for size 6: a fork, whatever proof comes with them.
        expect(yield* compareCheckpoints(c6, f6, [], trusted)).toEqual({ verdict: "fork", reason: "two different roots signed for size 6" })
        // The forked size-6 tree is not extended by the honest size-10 tree: no proof from the honest log makes it so.
        expect((yield* compareCheckpoints(f6, c10, yield* on(honest, consistencyProof(6, 10)), trusted)).verdict).toBe("fork")
        expect((yield* compareCheckpoints(c6, c10, [], trusted)).verdict).toBe("fork")
        // A checkpoint nobody trusted signed is not evidence of anything.
        expect((yield* compareCheckpoints(c4, c10, [], [verifierKeyOf(sha256, "x", log.publicKey)])).verdict).toBe("invalid")
      }))
  })
})
