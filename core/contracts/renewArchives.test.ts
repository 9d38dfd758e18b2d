/**
 * Archive renewal (issue 21, B-LTA): a completed contract whose document
 * timestamp comes from a TSA certificate expiring within the window gets a
 * new version with a new DSS and document timestamp, with its evidence event
 * in the same transaction; a second run renews nothing.
 */
import { generateKeyPairSync, randomBytes, webcrypto } from "node:crypto"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Deferred, Effect, Layer, Option, Schema } from "effect"
import { TestClock } from "effect/testing"
import { layer as layerBlobs } from "../../adapters/blobs-fs/index.ts"
import { issueTsaCertificate, localRevocationFetcher, openCa, tsaSigner } from "../../adapters/ca/index.ts"
import { layerDevTsa, localTsa } from "../../adapters/evidence-tsa/index.ts"
import { layerEphemeral } from "../../adapters/evidence-ed25519/index.ts"
import { signerFromKey, spkiOf, webCryptoLayer } from "../../adapters/keys-software/index.ts"
import { layer as layerCjkFont } from "../../adapters/font-cjk/index.ts"
import { layerSoftwareCa } from "../../adapters/signing-identity/index.ts"
import { layerEvidenceRepositories } from "../../adapters/sql/evidence.ts"
import { lastCodeFor, layerTest } from "../../fixtures/layers.ts"
import { verifyUser } from "../../fixtures/organizations.ts"
import { classicPdf } from "../../fixtures/pdfs/generate.ts"
import { User } from "../accounts/User.ts"
import { EvidenceRecorder } from "../evidence/EvidenceRecorder.ts"
import { exportBundle } from "../evidence/exportBundle.ts"
import { verifyBundle } from "../evidence/verifyBundle.ts"
import { RepositoryError } from "../kernel/errors.ts"
import type { NumericId, UserId } from "../kernel/Ids.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { ContractEventSink } from "../ports/ContractEventSink.ts"
import { AppLinks } from "../ports/AppLinks.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { PadesProfile, type PadesProfileShape } from "../ports/PadesProfile.ts"
import type { TsaShape } from "../ports/Tsa.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { padesProfile } from "../signing/ltv/padesLevel.ts"
import { newestArchiveExpiry } from "../signing/ltv/renewal.ts"
import { verifyPdf } from "../signing/verify/verifyPdf.ts"
import { SignField } from "./Contract.ts"
import { createContract, sendContract } from "./createContract.ts"
import { renewArchiveTimestamps, renewContractArchive } from "./renewArchives.ts"
import { requestSigningCode, signContract } from "./signContract.ts"

const DAY = 86_400_000
const caDir = mkdtempSync(join(tmpdir(), "signet-renewal-ca-"))
const masterKey = new Uint8Array(randomBytes(32))
const ca = Effect.cached(openCa(caDir, masterKey)).pipe(Effect.runSync)

/** The evidence write of a renewal fails when armed (after the event is written, inside the act's transaction). */
const failing = { armed: false }
const layerFailingEvidence = Layer.effect(EvidenceRecorder, EvidenceRecorder.use((inner) => Effect.succeed({
  atomically: (change, event) =>
    Effect.flatMap(inner.atomically(change, event), (a) =>
      failing.armed && event(a).type === "contract.archive_renewed" ? Effect.fail(new RepositoryError({ operation: "evidence.append", cause: "injected" })) : Effect.succeed(a)),
  record: (events) =>
    failing.armed && events.some((e) => e.type === "contract.archive_renewed") ? Effect.fail(new RepositoryError({ operation: "evidence.append", cause: "injected" })) : inner.record(events),
})))

const stack = Layer.mergeAll(
  layerTest,
  ContractEventSink.none,
  layerBlobs(mkdtempSync(join(tmpdir(), "signet-renewal-blobs-"))),
  layerSoftwareCa(caDir, masterKey),
  Layer.succeed(AppLinks, { contract: (id) => `http://127.0.0.1:3000/contracts/${id}` }),
  layerCjkFont(),
  layerEphemeral("signet.test/renewal"),
  layerDevTsa(mkdtempSync(join(tmpdir(), "signet-renewal-tsa-")), new Uint8Array(32).fill(7)),
  layerFailingEvidence.pipe(Layer.provideMerge(EvidenceRecorder.layer), Layer.provideMerge(layerEvidenceRepositories), Layer.provide(layerTest)),
)

/** The deployment's profile at `level`, its TSA (and revocation answers) from the software CA, like the dev profile (apps/platform/pades.ts). */
const profileWith = (level: "B-LT" | "B-LTA", tsa?: TsaShape) =>
  Effect.gen(function*() {
    const opened = yield* Effect.orDie(ca)
    const config = { level, tsa: tsa ?? localTsa(tsaSigner(opened)), revocation: localRevocationFetcher(ca), trustRoots: [opened.rootDer] }
    return padesProfile(config, { crypto: webcrypto as unknown as Crypto })
  })

/** A TSA whose certificate expires at `notAfter`. */
const shortLivedTsa = (notAfter: Date) =>
  Effect.gen(function*() {
    const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey
    const opened = yield* Effect.orDie(ca)
    const cert = yield* Effect.orDie(issueTsaCertificate(opened, spkiOf(key), "Signet Short TSA", notAfter))
    return localTsa(signerFromKey(key, cert, [opened.rootDer]))
  })

let n = 0
const aUser = (name: string) =>
  Effect.gen(function*() {
    n += 1
    const user = new User({
      id: (yield* (yield* IdGenerator).next) as string as UserId,
      mobile: Schema.decodeSync(Mobile)(`1370000${String(1000 + n).slice(-4)}`),
      passwordHash: "-", name, email: null, createdAt: yield* Clock.currentTimeMillis,
    })
    yield* UserRepository.use((r) => r.insert(user))
    yield* verifyUser(user, name)
    return user
  })

/** A one-party contract, signed (and so completed) under `profile`. */
const completedContract = (profile: PadesProfileShape) =>
  Effect.gen(function*() {
    const a = yield* aUser("赵一")
    const c = yield* createContract(a, {
      name: "归档合同", pdf: yield* Effect.promise(() => classicPdf(1, "Archived contract")), mode: "sequential",
      deadline: (yield* Clock.currentTimeMillis) + 3 * DAY, parties: [{ name: a.name!, mobile: a.mobile }],
      fields: [new SignField({ partyIndex: 0, page: 1, x: 60, y: 80, width: 150, height: 60, kind: "signature" })],
    })
    yield* sendContract(a, c.id)
    yield* requestSigningCode(a, c.id)
    const done = yield* signContract(a, c.id, yield* lastCodeFor(a.mobile)).pipe(Effect.provideService(PadesProfile, profile))
    expect(done.status).toBe("completed")
    return done
  })

const snapshot = (id: NumericId) =>
  Effect.gen(function*() {
    const repo = yield* ContractRepository
    const c = Option.getOrThrow(yield* repo.find(id))
    return {
      sha256: c.documentSha256, version: c.documentVersion,
      versions: (yield* repo.versions(id)).map((v) => [v.version, v.sha256]),
      history: (yield* repo.history(id)).map((h) => h.action),
      events: (yield* EvidenceStore.use((e) => e.eventsOf(`contract:${id}`))).map((e) => e.type),
    }
  })

const documentOf = (sha: string) => Effect.map(BlobStore.use((b) => b.get(sha)), Option.getOrThrow)

describe("archive renewal (issue 21)", () => {
  it.effect("a B-LTA contract whose document timestamp expires within the window gets one new version with its evidence; a second run renews nothing", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const soon = new Date((yield* Clock.currentTimeMillis) + 30 * DAY)
      const signedShort = yield* completedContract(yield* profileWith("B-LTA", yield* shortLivedTsa(soon)))
      const lasting = yield* completedContract(yield* profileWith("B-LTA"))
      const renewing = yield* profileWith("B-LTA")
      const run = (days: number) => renewArchiveTimestamps({ window: `${days} days`, limit: 1 }).pipe(Effect.provideService(PadesProfile, renewing))
      const before = yield* snapshot(signedShort.id)
      const lastingBefore = yield* snapshot(lasting.id)
      const old = yield* documentOf(before.sha256)
      expect(newestArchiveExpiry(old)?.getTime()).toBe(Math.floor(soon.getTime() / 1000) * 1000)

      // Below B-LTA the deployment keeps no archive timestamps: nothing is looked at.
      expect(yield* renewArchiveTimestamps({ window: "90 days" }).pipe(Effect.provideService(PadesProfile, yield* profileWith("B-LT")))).toEqual({ checked: 0, renewed: 0, failed: 0 })
      // A window shorter than the 30 days left: nothing to renew.
      expect((yield* run(7)).renewed).toBe(0)
      expect(yield* snapshot(signedShort.id)).toEqual(before)

      // The evidence write fails: neither the version, its history nor the contract's new document is written.
      failing.armed = true
      const crashed = yield* run(90)
      failing.armed = false
      expect(crashed.failed).toBeGreaterThanOrEqual(1)
      expect(yield* snapshot(signedShort.id)).toEqual(before)

      // Renewed: one more version, appended to the old bytes, with one more document timestamp that outlives the old one.
      const first = yield* run(90)
      expect(first.renewed).toBe(1)
      expect(first.checked).toBeGreaterThanOrEqual(2) // both contracts, walked one page (limit 1) at a time
      const after = yield* snapshot(signedShort.id)
      expect(after.version).toBe(before.version + 1)
      expect(after.versions).toEqual([...before.versions, [after.version, after.sha256]])
      expect(after.history).toEqual([...before.history, "archive_renewed"])
      expect(after.events).toEqual([...before.events, "contract.archive_renewed"])
      const event = (yield* EvidenceStore.use((e) => e.eventsOf(`contract:${signedShort.id}`))).at(-1)!
      const body = JSON.parse(event.body)
      expect(body.doc.sha256).toBe(after.sha256)
      expect(body.data.version).toBe(after.version)
      expect(body.data.previousSha256).toBe(before.sha256)
      expect(body.data.previousExpiry).toBe(newestArchiveExpiry(old)?.toISOString())
      const renewed = yield* documentOf(after.sha256)
      expect(Buffer.from(renewed.subarray(0, old.length)).equals(Buffer.from(old))).toBe(true)
      expect(newestArchiveExpiry(renewed)!.getTime()).toBeGreaterThan(soon.getTime() + 90 * DAY)
      expect(body.data.expiry).toBe(newestArchiveExpiry(renewed)?.toISOString())
      // The verifier: the signature and two document timestamps, each later revision adding only validation data and a timestamp.
      const report = yield* verifyPdf(renewed, { trust: [(yield* Effect.orDie(ca)).rootDer] }).pipe(Effect.provide(webCryptoLayer))
      expect(report.signatures.map((s) => s.kind)).toEqual(["signature", "documentTimestamp", "documentTimestamp"])
      expect(report.verdict).toBe("signaturesAdded")
      expect(report.revisions.flatMap((r) => r.changes).filter((x) => !x.allowed)).toEqual([])
      // The other contract's timestamp outlives the window: untouched.
      expect(yield* snapshot(lasting.id)).toEqual(lastingBefore)

      // The contract's exported evidence verifies offline: the renewal may follow the completion.
      const bundle = yield* exportBundle(`contract:${signedShort.id}`, { withOpenings: true })
      const checks = yield* verifyBundle(JSON.parse(JSON.stringify(bundle)), { logKey: bundle.logKey }).pipe(Effect.provide(webCryptoLayer))
      expect(checks.filter((c) => c.status === "fail").map((c) => `${c.name}: ${c.detail}`)).toEqual([])

      // A second run right after renews nothing.
      expect((yield* run(90)).renewed).toBe(0)
      expect(yield* snapshot(signedShort.id)).toEqual(after)
    }).pipe(Effect.provide(stack)), 120_000)

  it.effect("three instances renewing the same contract at once: one new version; the others lose the revision check, read again and write nothing", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const c = yield* completedContract(yield* profileWith("B-LTA", yield* shortLivedTsa(new Date((yield* Clock.currentTimeMillis) + 10 * DAY))))
      const before = yield* snapshot(c.id)
      const plain = yield* profileWith("B-LTA")
      // Each renewal waits for the others to have read the contract: all three compute one from the same version.
      const allRead = yield* Deferred.make<void>()
      let calls = 0
      let made = 0
      const renewing: PadesProfileShape = {
        ...plain,
        renew: (bytes, window) =>
          Effect.gen(function*() {
            calls++
            if (calls === 3) yield* Deferred.succeed(allRead, undefined)
            if (calls <= 3) yield* Deferred.await(allRead)
            const out = yield* plain.renew(bytes, window)
            if (out !== undefined) made++
            return out
          }),
      }
      const results = yield* Effect.all([1, 2, 3].map(() => renewContractArchive(c.id, "90 days")), { concurrency: "unbounded" }).pipe(Effect.provideService(PadesProfile, renewing))
      expect(results.filter(Boolean)).toHaveLength(1)
      // Three renewals were made from the same version; two lost the revision check, read again and found nothing to renew.
      expect([made, calls]).toEqual([3, 5])
      const after = yield* snapshot(c.id)
      expect(after.version).toBe(before.version + 1)
      expect(after.versions).toEqual([...before.versions, [after.version, after.sha256]])
      expect(after.events).toEqual([...before.events, "contract.archive_renewed"])
      // The written version is the renewal of the document it replaced, not of an older one over a newer.
      const renewed = yield* documentOf(after.sha256)
      const old = yield* documentOf(before.sha256)
      expect(Buffer.from(renewed.subarray(0, old.length)).equals(Buffer.from(old))).toBe(true)
    }).pipe(Effect.provide(stack)), 120_000)
})
