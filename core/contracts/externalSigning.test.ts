import { generateKeyPairSync, randomBytes, sign as nodeSign } from "node:crypto"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Certificate } from "pkijs"
import { Clock, Effect, Exit, Layer, Option, Schema } from "effect"
import { TestClock } from "effect/testing"
import { layer as layerBlobs } from "../../adapters/blobs-fs/index.ts"
import { caFiles, issueSigningCertificate, openCa, revoke, type Subject } from "../../adapters/ca/index.ts"
import { layerDevTsa } from "../../adapters/evidence-tsa/index.ts"
import { layer as layerCjkFont } from "../../adapters/font-cjk/index.ts"
import { webCryptoLayer } from "../../adapters/keys-software/index.ts"
import { layerSoftwareCa } from "../../adapters/signing-identity/index.ts"
import { layerEvidenceRepositories } from "../../adapters/sql/evidence.ts"
import { layerEnterpriseRepository } from "../../adapters/sql/verification/enterprises.ts"
import { layerTest } from "../../fixtures/layers.ts"
import { classicPdf } from "../../fixtures/pdfs/generate.ts"
import { verifyUser } from "../../fixtures/organizations.ts"
import { expectValidators, nssDbTrusting } from "../../fixtures/signing/validators.ts"
import { requireTools } from "../../fixtures/tools.ts"
import { User } from "../accounts/User.ts"
import { EvidenceRecorder } from "../evidence/EvidenceRecorder.ts"
import type { NumericId, UserId } from "../kernel/Ids.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { ContractEventSink } from "../ports/ContractEventSink.ts"
import { AppLinks } from "../ports/AppLinks.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { TrustList } from "../ports/TrustList.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { verifyPdf } from "../signing/verify/verifyPdf.ts"
import { SignField } from "./Contract.ts"
import { createContract, sendContract } from "./createContract.ts"
import { collectExpiredPreparedSignatures } from "./collectPreparedSignatures.ts"
import { ExternalSignatureRepository } from "../ports/ExternalSignatureRepository.ts"
import { completeExternalSignature, prepareForUser } from "./externalSigning.ts"

const caDir = mkdtempSync(join(tmpdir(), "signet-extsign-ca-"))
const masterKey = new Uint8Array(randomBytes(32))
const stack = Layer.mergeAll(
  ContractEventSink.none,
  layerTest,
  layerBlobs(mkdtempSync(join(tmpdir(), "signet-extsign-blobs-"))),
  layerSoftwareCa(caDir, masterKey),
  layerDevTsa(caDir, masterKey),
  webCryptoLayer,
  Layer.succeed(AppLinks, { contract: (id) => `http://127.0.0.1:3000/contracts/${id}` }),
  layerCjkFont(),
  EvidenceRecorder.layer.pipe(Layer.provideMerge(layerEvidenceRepositories), Layer.provide(layerTest)),
  layerEnterpriseRepository.pipe(Layer.provide(layerTest)),
).pipe(Layer.provideMerge(layerTest))

const ID_NUMBER = "440305199208150034" // what verifyUser records

let n = 0
const aUser = (name: string) =>
  Effect.gen(function*() {
    n += 1
    const user = new User({
      id: (yield* (yield* IdGenerator).next) as string as UserId,
      mobile: Schema.decodeSync(Mobile)(`1360000${String(1000 + n).slice(-4)}`),
      passwordHash: "-", name, email: null, createdAt: yield* Clock.currentTimeMillis,
    })
    yield* UserRepository.use((r) => r.insert(user))
    yield* verifyUser(user, name)
    return user
  })

/** A key the "token" holds (here: a Node key object) and its certificate from the platform CA. */
const tokenKey = (subject: Subject) =>
  Effect.gen(function*() {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" })
    const ca = yield* openCa(caDir, masterKey).pipe(Effect.orDie)
    const spki = new Uint8Array(publicKey.export({ format: "der", type: "spki" }))
    const certificate = new Uint8Array(yield* issueSigningCertificate(ca, subject, spki).pipe(Effect.orDie))
    return { ca, certificate, chain: [ca.issuingDer, ca.rootDer], sign: (data: Uint8Array) => new Uint8Array(nodeSign("sha256", data, { key: privateKey, dsaEncoding: "der" })) }
  })

const newContract = (initiator: User, parties: ReadonlyArray<User>) =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const c = yield* createContract(initiator, {
      name: "设备采购合同", pdf: yield* Effect.promise(() => classicPdf(1, "Purchase")), mode: "simultaneous", deadline: now + 3 * 24 * 3600_000,
      parties: parties.map((p) => ({ name: p.name!, mobile: p.mobile })),
      fields: parties.flatMap((_, i) => [
        new SignField({ partyIndex: i, page: 1, x: 60 + i * 170, y: 80, width: 150, height: 60, kind: "signature" }),
        new SignField({ partyIndex: i, page: 1, x: 60 + i * 170, y: 40, width: 150, height: 30, kind: "date" }),
      ]),
    })
    return yield* sendContract(initiator, c.id)
  })

const tagOf = <A, E extends { readonly _tag: string }, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.match(eff, { onFailure: (e) => e._tag, onSuccess: () => "success" })

const version = (id: NumericId) => Effect.map(ContractRepository.use((r) => r.find(id)), (c) => Option.getOrThrow(c).documentVersion)

const tools = requireTools("deferred signing validators", "pdfsig")

describe("deferred signing with a key the signer holds (issue 20)", () => {
  it.effect("prepare, sign outside, complete: the verifier and pdfsig accept it; the act's evidence names the certificate", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const [a, b] = [yield* aUser("张三"), yield* aUser("李四")]
      const contract = yield* newContract(a, [a, b])
      const key = yield* tokenKey({ kind: "person", name: "张三", idNumber: ID_NUMBER })
      const request = yield* prepareForUser(a, contract.id, key.certificate, key.chain)
      expect(request.contract).toEqual({ id: contract.id, name: "设备采购合同", documentSha256: contract.documentSha256 })
      expect(request.algorithm).toBe("ECDSA-P256-SHA256")
      // Nothing is written to the contract before completion.
      expect(yield* version(contract.id)).toBe(0)
      const done = yield* completeExternalSignature(request.preparedId, { kind: "user", user: a }, key.sign(request.toBeSigned), [key.certificate, ...key.chain])
      expect(done.contract.parties[0]!.status).toBe("signed")
      expect(done.contract.documentVersion).toBe(1)
      const pdf = Option.getOrThrow(yield* BlobStore.use((s) => s.get(done.contract.documentSha256)))
      const report = yield* verifyPdf(pdf, { trust: (yield* TrustList).roots })
      expect(report.signatures).toHaveLength(1)
      expect([report.signatures[0]!.signatureValid, report.signatures[0]!.signer, report.signatures[0]!.timestampTime !== undefined]).toEqual([true, done.signer, true])
      expect(report.signatures[0]!.signer).toContain("张三")
      if (tools) expectValidators(pdf, 1, { nss: nssDbTrusting(caFiles(caDir).rootCert), rootPem: caFiles(caDir).rootCert, name: "external-1" })
      const events = yield* EvidenceStore.use((e) => e.eventsOf(`contract:${contract.id}`))
      const signed = JSON.parse(events.find((e) => e.type === "contract.signed")!.body)
      expect(signed.data).toMatchObject({ party: 0, keyHeld: "signer", certificateSerial: done.certificateSerial, revocation: "good" })
      expect(signed.doc.sha256).toBe(done.contract.documentSha256)
      // A replay of the same completion is refused and writes nothing.
      expect(yield* tagOf(completeExternalSignature(request.preparedId, { kind: "user", user: a }, key.sign(request.toBeSigned), [key.certificate, ...key.chain]))).toBe("PreparedSignatureUsed")
      expect(yield* version(contract.id)).toBe(1)
    }).pipe(Effect.provide(stack)), 60_000)

  it.effect("another person's certificate, a revoked one, a bad value, someone else's prepared id, an expired one: refused, nothing written", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const [a, b] = [yield* aUser("王五"), yield* aUser("赵六")]
      const contract = yield* newContract(a, [a, b])
      const stranger = yield* tokenKey({ kind: "person", name: "王五", idNumber: "11010519491231002X" })
      expect(yield* tagOf(prepareForUser(a, contract.id, stranger.certificate, stranger.chain))).toBe("CertificateNotOfParty")
      const enterpriseCert = yield* tokenKey({ kind: "enterprise", name: "王五", organization: "某公司", uscc: "91110108000000001X" })
      expect(yield* tagOf(prepareForUser(a, contract.id, enterpriseCert.certificate, enterpriseCert.chain))).toBe("CertificateNotOfParty")
      const key = yield* tokenKey({ kind: "person", name: "王五", idNumber: ID_NUMBER })
      const request = yield* prepareForUser(a, contract.id, key.certificate, key.chain)
      // A value from another key over the same bytes: the verifier refuses it.
      expect(yield* tagOf(completeExternalSignature(request.preparedId, { kind: "user", user: a }, stranger.sign(request.toBeSigned), [key.certificate, ...key.chain]))).toBe("ExternalSignatureInvalid")
      // Only who prepared may complete.
      expect(yield* tagOf(completeExternalSignature(request.preparedId, { kind: "user", user: b }, key.sign(request.toBeSigned), [key.certificate, ...key.chain]))).toBe("PreparedSignatureNotFound")
      // Ten minutes later it has expired.
      yield* TestClock.adjust("11 minutes")
      expect(yield* tagOf(completeExternalSignature(request.preparedId, { kind: "user", user: a }, key.sign(request.toBeSigned), [key.certificate, ...key.chain]))).toBe("PreparedSignatureExpired")
      // Revoked between prepare and complete: the completion checks again.
      const again = yield* prepareForUser(a, contract.id, key.certificate, key.chain)
      yield* revoke(key.ca, yield* serialOf(key.certificate)).pipe(Effect.orDie)
      expect(yield* tagOf(completeExternalSignature(again.preparedId, { kind: "user", user: a }, key.sign(again.toBeSigned), [key.certificate, ...key.chain]))).toBe("CertificateRevoked")
      expect(yield* tagOf(prepareForUser(a, contract.id, key.certificate, key.chain))).toBe("CertificateRevoked")
      expect(yield* version(contract.id)).toBe(0)
    }).pipe(Effect.provide(stack)), 60_000)

  it.effect("two completions of one prepared signature at once (two instances): exactly one act", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const [a, b] = [yield* aUser("孙七"), yield* aUser("周八")]
      const contract = yield* newContract(a, [a, b])
      const key = yield* tokenKey({ kind: "person", name: "孙七", idNumber: ID_NUMBER })
      const request = yield* prepareForUser(a, contract.id, key.certificate, key.chain)
      const complete = completeExternalSignature(request.preparedId, { kind: "user", user: a }, key.sign(request.toBeSigned), [key.certificate, ...key.chain])
      const exits = yield* Effect.all([Effect.exit(complete), Effect.exit(complete)], { concurrency: 2 })
      expect(exits.filter(Exit.isSuccess)).toHaveLength(1)
      expect(yield* version(contract.id)).toBe(1)
      const events = yield* EvidenceStore.use((e) => e.eventsOf(`contract:${contract.id}`))
      expect(events.filter((e) => e.type === "contract.signed")).toHaveLength(1)
    }).pipe(Effect.provide(stack)), 60_000)

  it.effect("the clean-up job removes prepared signatures whose ten minutes are over, with their prepared revision; open ones stay and still complete", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const [a, b] = [yield* aUser("吴九"), yield* aUser("郑十")]
      const contract = yield* newContract(a, [a, b])
      const key = yield* tokenKey({ kind: "person", name: "吴九", idNumber: ID_NUMBER })
      const stored = (id: string) => ExternalSignatureRepository.use((r) => r.find(id))
      const blob = (sha: string) => Effect.map(BlobStore.use((s) => s.get(sha)), Option.isSome)
      const abandoned = yield* prepareForUser(a, contract.id, key.certificate, key.chain)
      const abandonedSha = (yield* stored(abandoned.preparedId))!.preparedSha256
      yield* TestClock.adjust("5 minutes")
      const open = yield* prepareForUser(a, contract.id, key.certificate, key.chain)
      yield* TestClock.adjust("6 minutes")
      expect(yield* collectExpiredPreparedSignatures()).toBe(1)
      expect([yield* stored(abandoned.preparedId), yield* blob(abandonedSha)]).toEqual([undefined, false])
      expect((yield* stored(open.preparedId))?.id).toBe(open.preparedId)
      const done = yield* completeExternalSignature(open.preparedId, { kind: "user", user: a }, key.sign(open.toBeSigned), [key.certificate, ...key.chain])
      expect(yield* blob(done.contract.documentSha256)).toBe(true)
      expect(yield* collectExpiredPreparedSignatures()).toBe(0)
      // Completed, then expired: the row goes too (a replay is refused as not found); the signed document stays.
      yield* TestClock.adjust("10 minutes")
      expect(yield* collectExpiredPreparedSignatures()).toBe(1)
      expect(yield* stored(open.preparedId)).toBeUndefined()
      expect(yield* blob(done.contract.documentSha256)).toBe(true)
      expect(yield* tagOf(completeExternalSignature(open.preparedId, { kind: "user", user: a }, key.sign(open.toBeSigned), [key.certificate, ...key.chain]))).toBe("PreparedSignatureNotFound")
    }).pipe(Effect.provide(stack)), 60_000)
})

const serialOf = (der: Uint8Array) => Effect.sync(() => Buffer.from(Certificate.fromBER(new Uint8Array(der)).serialNumber.valueBlock.valueHexView).toString("hex"))
