import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Result } from "effect"
import { Hex } from "effect/encoding"
import { TestClock } from "effect/testing"
import { layer as layerCrypto } from "../../adapters/crypto-node/index.ts"
import { layerEphemeral, makeNoteSigner } from "../../adapters/evidence-ed25519/index.ts"
import { layerDevTsa } from "../../adapters/evidence-tsa/index.ts"
import { webCryptoLayer } from "../../adapters/keys-software/index.ts"
import { layerEvidenceRepositories } from "../../adapters/sql/evidence.ts"
import { layerSqlite, migrated } from "../../adapters/sql/index.ts"
import { layerUnitOfWork } from "../../adapters/sql/unitOfWork.ts"
import { TEST_EPOCH } from "../../fixtures/layers.ts"
import { tempDir } from "../../fixtures/signing/validators.ts"
import { Crypto } from "../ports/Crypto.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { NoteSigner } from "../ports/NoteSigner.ts"
import type { Bundle } from "./Bundle.ts"
import { exportBundle } from "./exportBundle.ts"
import { checkpointText, formatNote, keyHashOf, parseCheckpoint, parseNote } from "./note.ts"
import { recordEvent } from "./recordEvent.ts"
import { allPassed, verifyBundle, type VerifyOptions } from "./verifyBundle.ts"
import { generateKeyPairSync } from "node:crypto"
import { readFileSync } from "node:fs"
import fc from "fast-check"
import { sm3 } from "../crypto/sm3.ts"

const layer = Layer.mergeAll(layerEvidenceRepositories, layerUnitOfWork).pipe(
  Layer.provideMerge(migrated(layerSqlite(":memory:"))),
  Layer.provideMerge(Layer.mergeAll(
    layerCrypto, webCryptoLayer, IdGenerator.layerSnowflake(3), layerEphemeral("signet.test/evidence"),
    layerDevTsa(tempDir("signet-verify-tsa-"), new Uint8Array(32).fill(5)),
  )),
)

const USER = "1234567890123456789"

/** A user's history of four acts, exported with openings. */
const history = Effect.gen(function*() {
  yield* TestClock.setTime(TEST_EPOCH)
  yield* recordEvent({ type: "user.registered", subjectId: USER, role: "user", actor: USER, ip: "198.51.100.4", userAgent: "Chromium" })
  for (const type of ["user.logged_in", "user.password_changed", "user.logged_in"] as const) {
    yield* TestClock.adjust(60_000)
    yield* recordEvent({ type, subjectId: USER, role: "user", actor: USER, ip: "198.51.100.4" })
  }
  return yield* exportBundle(`user:${USER}`, { withOpenings: true })
})

const failing = (bundle: unknown, options: VerifyOptions = {}) =>
  Effect.map(verifyBundle(JSON.parse(JSON.stringify(bundle)), options), (checks) => checks.filter((c) => c.status === "fail").map((c) => c.name))

const withEvents = (b: Bundle, events: Bundle["events"]): Bundle => ({ ...b, events })

describe("offline bundle verifier", () => {
  it.layer(layer, { timeout: 60_000 })((it) => {
    it.effect("an exported bundle passes every check it has inputs for", () =>
      Effect.gen(function*() {
        const bundle = yield* history
        const checks = yield* verifyBundle(JSON.parse(JSON.stringify(bundle)), { logKey: bundle.logKey })
        expect(checks.filter((c) => c.status !== "pass").map((c) => c.name).sort()).toEqual(["consistency with previous checkpoint", "document hash", "timestamp authority", "witness cosignatures"])
        expect(allPassed(checks)).toBe(true)
        expect(bundle.events.length).toBe(4)
        expect(bundle.events[0]!.openings.map((o) => o.field)).toEqual(["actor", "ip", "ua"])
      }))

    it.effect("tampering is named: a changed byte, a deleted or reordered event, a bad proof or opening, a foreign key, no timestamp", () =>
      Effect.gen(function*() {
        const b = yield* exportBundle(`user:${USER}`, { withOpenings: true })
        const [e0, e1, e2, e3] = b.events as [Bundle["events"][number], Bundle["events"][number], Bundle["events"][number], Bundle["events"][number]]
        expect(yield* failing(withEvents(b, [e0, { ...e1, body: e1.body.replace('"user.logged_in"', '"user.logged_im"') }, e2, e3])))
          .toEqual(["event encodings", "chain continuity", "inclusion proofs", "commitments opened"])
        expect(yield* failing(withEvents(b, [e0, { ...e1, body: e1.body.replace(/"at":(\d)/, '"at":9') }, e2, e3])))
          .toEqual(["chain continuity", "legal order of events", "inclusion proofs", "timestamp token"])
        expect(yield* failing(withEvents(b, [e0, e2, e3]))).toEqual(["chain continuity", "history complete"])
        // Cut off the end: only the log's signed statement of the length tells.
        expect(yield* failing(withEvents(b, [e0, e1, e2]))).toEqual(["history complete"])
        expect(yield* failing(withEvents(b, [e0, e1, e2, { ...e3, body: e3.body.replace('"user.logged_in"', '"contract.viewed"') }])))
          .toEqual(["subject", "inclusion proofs", "history complete"])
        expect(yield* failing(withEvents(b, [e0, e2, e1, e3]))).toEqual(["chain continuity", "legal order of events"])
        expect(yield* failing(withEvents(b, [e0, e1, { ...e2, proof: [e2.proof[0]!.replace(/^./, (c) => (c === "0" ? "1" : "0")), ...e2.proof.slice(1)] }, e3])))
          .toEqual(["inclusion proofs"])
        expect(yield* failing(withEvents(b, [{ ...e0, openings: e0.openings.map((o) => o.field === "ip" ? { ...o, value: "198.51.100.5" } : o) }, e1, e2, e3])))
          .toEqual(["commitments opened"])
        expect(yield* failing({ ...b, checkpoint: { ...b.checkpoint, timestamp: null } })).toEqual(["timestamp token"])
        expect(yield* failing({ ...b, checkpoint: { ...b.checkpoint, note: b.checkpoint.note.replace("\n\n", "\n\n\n") } }))
          .toEqual(["checkpoint signature", "timestamp token"])
        // A bundle re-signed by someone else's key fails against the pinned log key, even if it carries that key.
        const other = makeNoteSigner("signet.test/evidence", generateKeyPairSync("ed25519").privateKey)
        const { sha256 } = yield* Crypto
        const text = Result.getOrThrow(parseNote(b.checkpoint.note)).text
        const forged = formatNote(text, [{ name: other.name, keyHash: keyHashOf(sha256, other.name, other.publicKey), signature: yield* other.sign(new TextEncoder().encode(text)) }])
        expect(yield* failing({ ...b, checkpoint: { ...b.checkpoint, note: forged } }, { logKey: b.logKey })).toEqual(["checkpoint signature", "timestamp token"])
        expect(yield* failing(b, { logKey: b.logKey.replace(/\+[0-9a-f]{8}\+/, "+00000000+") })).toEqual(["log key"])
        expect(yield* failing(b, { document: new Uint8Array([1, 2, 3]) })).toEqual(["document hash"])
        expect(yield* failing({ ...b, format: "other" })).toEqual(["bundle format"])
      }))

    it.effect("a forked log is caught from the earlier checkpoint: same size, other root, signed by the log key", () =>
      Effect.gen(function*() {
        const b = yield* exportBundle(`user:${USER}`, { withOpenings: false })
        expect((yield* verifyBundle(b, {})).find((c) => c.name === "commitments opened")?.status).toBe("skip")
        const cp = Result.getOrThrow(parseCheckpoint(Result.getOrThrow(parseNote(b.checkpoint.note)).text))
        // The same log key signs a different root for the same size: only the log could do this.
        const { sha256 } = yield* Crypto
        const evil = checkpointText(cp.origin, cp.size, sha256(new Uint8Array([9])))
        const log = yield* NoteSigner
        const evilNote = formatNote(evil, [{ name: log.name, keyHash: keyHashOf(sha256, log.name, log.publicKey), signature: yield* log.sign(new TextEncoder().encode(evil)) }])
        expect(yield* failing(b, { previous: { note: evilNote, consistency: [] } })).toEqual(["consistency with previous checkpoint"])
        expect(yield* failing(b, { previous: { note: b.checkpoint.note, consistency: [] } })).toEqual([])
      }))

    it.effect("a contract's document is named by SHA-256 and SM3; the verifier checks both against the PDF", () =>
      Effect.gen(function*() {
        const { sha256 } = yield* Crypto
        const pdf = new TextEncoder().encode("%PDF-1.7\nthe contract as signed\n%%EOF\n")
        const contract = "1400000000000000001"
        yield* recordEvent({ type: "contract.created", subjectId: contract, role: "initiator", actor: USER, document: { sha256: sha256(pdf), sm3: sm3(pdf) } })
        yield* recordEvent({ type: "contract.completed", subjectId: contract, role: "system", document: { sha256: sha256(pdf) } })
        const b = yield* exportBundle(`contract:${contract}`, { withOpenings: false })
        expect(b.document).toEqual({ sha256: Hex.encode(sha256(pdf)), sm3: Hex.encode(sm3(pdf)) })
        const checks = yield* verifyBundle(JSON.parse(JSON.stringify(b)), { document: pdf })
        expect(checks.filter((c) => c.name.startsWith("document")).map((c) => [c.name, c.status])).toEqual([["document hash", "pass"], ["document SM3", "pass"]])
        const altered = pdf.slice()
        altered[3]! ^= 1
        expect(yield* failing(b, { document: altered })).toEqual(["document hash", "document SM3"])
        // The bundle's own copy of the SM3 is checked too (the events' copies are covered by the log).
        expect(yield* failing({ ...b, document: { ...b.document!, sm3: "0".repeat(64) } }, { document: pdf })).toEqual(["document SM3"])
      }))

    it.effect("any stored event with one byte changed, deleted, or swapped with another: the verifier names what fails", () =>
      Effect.gen(function*() {
        const b = yield* exportBundle(`user:${USER}`, { withOpenings: true })
        const names = new Set((yield* verifyBundle(b, {})).map((c) => c.name))
        const judge = (events: Bundle["events"]) => Effect.runPromise(failing(withEvents(b, events)).pipe(Effect.provide(Layer.mergeAll(layerCrypto, webCryptoLayer))))
        const named = (failed: ReadonlyArray<string>) => failed.length > 0 && failed.every((n) => names.has(n))
        const n = b.events.length
        yield* Effect.promise(() => fc.assert(fc.asyncProperty(fc.nat(n - 1), fc.nat(), fc.integer({ min: 1, max: 94 }), async (i, at, shift) => {
          const body = b.events[i]!.body
          const p = at % body.length
          const changed = body.slice(0, p) + String.fromCharCode(32 + ((body.charCodeAt(p) - 32 + shift) % 95)) + body.slice(p + 1)
          return named(await judge(b.events.map((e, k) => (k === i ? { ...e, body: changed } : e))))
        }), { numRuns: 60 }))
        for (let i = 0; i < n; i++) expect(named(yield* Effect.promise(() => judge(b.events.filter((_, k) => k !== i)))), `event ${i} deleted`).toBe(true)
        for (let i = 0; i < n; i++) {
          for (let j = i + 1; j < n; j++) {
            const swapped = b.events.map((e, k) => (k === i ? b.events[j]! : k === j ? b.events[i]! : e))
            expect(named(yield* Effect.promise(() => judge(swapped))), `events ${i} and ${j} swapped`).toBe(true)
          }
        }
      }))
  })

  it.effect("version-1 bundles (exported before SM3 was required) still verify, with their PDF", () =>
    Effect.gen(function*() {
      const bundle = JSON.parse(readFileSync(new URL("../../fixtures/evidence/bundle-v1.json", import.meta.url), "utf8")) as Bundle
      const pdf = new Uint8Array(readFileSync(new URL("../../fixtures/evidence/bundle-v1.pdf", import.meta.url)))
      expect(bundle.events.every((e) => JSON.parse(e.body).v === 1)).toBe(true)
      const checks = yield* verifyBundle(bundle, { document: pdf, logKey: bundle.logKey })
      expect(checks.filter((c) => c.status === "fail")).toEqual([])
      expect(checks.find((c) => c.name === "document hash")?.status).toBe("pass")
      expect(checks.find((c) => c.name === "document SM3")?.status).toBe("skip")
      const altered = pdf.slice()
      altered[20]! ^= 1
      expect((yield* verifyBundle(bundle, { document: altered })).filter((c) => c.status === "fail").map((c) => c.name)).toEqual(["document hash"])
    }).pipe(Effect.provide(Layer.mergeAll(layerCrypto, webCryptoLayer))))
})
