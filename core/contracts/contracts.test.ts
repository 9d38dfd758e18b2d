import { mkdtempSync } from "node:fs"
import { randomBytes } from "node:crypto"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Layer, Option, Schema } from "effect"
import { TestClock } from "effect/testing"
import { layer as layerBlobs } from "../../adapters/blobs-fs/index.ts"
import { caFiles } from "../../adapters/ca/index.ts"
import { webCryptoLayer } from "../../adapters/keys-software/index.ts"
import { verifyPdf } from "../signing/verify/verifyPdf.ts"
import { TrustList } from "../ports/TrustList.ts"
import { layer as layerCjkFont } from "../../adapters/font-cjk/index.ts"
import { layerSoftwareCa } from "../../adapters/signing-identity/index.ts"
import { afterAll } from "vitest"
import { lastCodeFor, layerAccountsOn, layerTest } from "../../fixtures/layers.ts"
import { postgresUrl } from "../../fixtures/postgres.ts"
import { dropSchema, layerPostgres, migrated } from "../../adapters/sql/index.ts"
import { classicPdf } from "../../fixtures/pdfs/generate.ts"
import { verifyUser } from "../../fixtures/organizations.ts"
import { expectValidators, nssDbTrusting } from "../../fixtures/signing/validators.ts"
import { inked, pixelsIn, renderPage } from "../../fixtures/signing/render.ts"
import { requireTools } from "../../fixtures/tools.ts"
import { User } from "../accounts/User.ts"
import type { NumericId, UserId } from "../kernel/Ids.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { ContractEventSink } from "../ports/ContractEventSink.ts"
import { AppLinks } from "../ports/AppLinks.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { SignField } from "./Contract.ts"
import { createContract, sendContract } from "./createContract.ts"
import { expireDueContracts, rejectContract, remindParty, revokeContract, viewContract } from "./contractActs.ts"
import { applySignature, requestSigningCode, signContract, signingPurpose } from "./signContract.ts"
import { deleteDraft, listDrafts, updateDraft } from "./editDraft.ts"
import { confirmCode } from "../otp/confirmCode.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { EvidenceRecorder } from "../evidence/EvidenceRecorder.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { NotificationRepository } from "../ports/NotificationRepository.ts"
import { RepositoryError } from "../kernel/errors.ts"
import { SmsOutbox } from "../../adapters/sms/index.ts"
import { layerEvidenceRepositories } from "../../adapters/sql/evidence.ts"

const caDir = mkdtempSync(join(tmpdir(), "signet-contract-ca-"))
// One CA per database: user ids (key labels) are unique per database, not across two test databases.
const services = (accounts: typeof layerTest, ca = caDir) => Layer.mergeAll(
  accounts,
  layerBlobs(mkdtempSync(join(tmpdir(), "signet-contract-blobs-"))),
  layerSoftwareCa(ca, new Uint8Array(randomBytes(32))),
  Layer.succeed(AppLinks, { contract: (id) => `http://127.0.0.1:3000/contracts/${id}` }),
  layerCjkFont(),
)
/** With the evidence recorder on the same database: every act's event commits with its change. */
const stackOn = (accounts: typeof layerTest, ca = caDir) =>
  Layer.mergeAll(services(accounts, ca), ContractEventSink.none, EvidenceRecorder.layer.pipe(Layer.provideMerge(layerEvidenceRepositories), Layer.provide(accounts)))
const stack = stackOn(layerTest)

let n = 0
const aUser = (name: string) =>
  Effect.gen(function*() {
    n += 1
    const user = new User({
      id: (yield* (yield* IdGenerator).next) as string as UserId,
      mobile: Schema.decodeSync(Mobile)(`1350000${String(1000 + n).slice(-4)}`),
      passwordHash: "-", name, email: null, createdAt: yield* Clock.currentTimeMillis,
    })
    yield* UserRepository.use((r) => r.insert(user))
    // Senders must be verified (issue 16); the others are too, harmlessly.
    yield* verifyUser(user, name)
    return user
  })

const outcome = <A, E extends { readonly _tag: string }, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.match(eff, { onFailure: (e) => e._tag, onSuccess: () => "success" })

const newContract = (initiator: User, parties: ReadonlyArray<User>, mode: "sequential" | "simultaneous") =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const c = yield* createContract(initiator, {
      name: "采购合同", pdf: yield* Effect.promise(() => classicPdf(2, "Purchase contract")), mode, deadline: now + 3 * 24 * 3600_000,
      parties: parties.map((p) => ({ name: p.name!, mobile: p.mobile })),
      fields: parties.flatMap((_, i) => [
        new SignField({ partyIndex: i, page: 2, x: 60 + i * 170, y: 80, width: 150, height: 60, kind: "signature" }),
        new SignField({ partyIndex: i, page: 2, x: 60 + i * 170, y: 40, width: 150, height: 30, kind: "date" }),
      ]),
    })
    return yield* sendContract(initiator, c.id)
  })

const sign = (user: User, id: NumericId) =>
  Effect.gen(function*() {
    yield* requestSigningCode(user, id)
    return yield* signContract(user, id, yield* lastCodeFor(user.mobile))
  })

const tools = requireTools("contract signing validators", "pdfsig", "qpdf", "mutool", "openssl", "pdftoppm")

describe("contracts (C1-C6, C9)", () => {
  it.effect("three parties sign in sequence; every signature stays valid in pdfsig, mutool, qpdf, openssl", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const [a, b, c] = [yield* aUser("张三"), yield* aUser("李四"), yield* aUser("王五")]
      const contract = yield* newContract(a, [a, b, c], "sequential")
      expect(contract.id).toMatch(/^\d{19}$/)
      expect(yield* outcome(requestSigningCode(b, contract.id))).toBe("SignerOutOfTurn")
      yield* sign(a, contract.id)
      yield* viewContract(b, contract.id)
      yield* sign(b, contract.id)
      const done = yield* sign(c, contract.id)
      expect([done.status, done.documentVersion]).toEqual(["completed", 3])
      const pdf = Option.getOrThrow(yield* BlobStore.use((s) => s.get(done.documentSha256)))
      if (tools) expectValidators(pdf, 3, { nss: nssDbTrusting(caFiles(caDir).rootCert), rootPem: caFiles(caDir).rootCert, name: "contract-3" })
      if (tools) {
        // None of them saved a handwritten signature: each box shows their name in ink, each date box the date.
        const page = renderPage(pdf, 2)
        for (const i of [0, 1, 2]) {
          expect(pixelsIn(page, 60 + i * 170, 80, 150, 60, inked), `signature box of party ${i}`).toBeGreaterThan(300)
          expect(pixelsIn(page, 60 + i * 170, 40, 150, 30, inked), `date box of party ${i}`).toBeGreaterThan(100)
        }
      }
      // Signet's own verifier: three signatures, each later revision adds only a signature and its date stamp.
      const report = yield* verifyPdf(pdf, { trust: (yield* TrustList).roots }).pipe(Effect.provide(webCryptoLayer))
      expect([report.verdict, report.signatures.map((s) => s.signatureValid)]).toEqual(["signaturesAdded", [true, true, true]])
      expect(report.revisions.flatMap((r) => r.changes).filter((x) => !x.allowed)).toEqual([])
      expect(yield* outcome(requestSigningCode(c, contract.id))).toBe("ContractNotInProgress")
      // The contract's evidence chain: each act once, in order, linked by hashes, the signature with its OTP challenge.
      const events = yield* EvidenceStore.use((e) => e.eventsOf(`contract:${contract.id}`))
      expect(events.map((e) => e.type)).toEqual([
        "contract.created", "contract.sent", "contract.signed", "contract.viewed", "contract.signed", "contract.signed", "contract.completed",
      ])
      events.forEach((e, i) => expect(JSON.parse(e.body).prev).toBe(i === 0 ? null : events[i - 1]!.hash))
      const lastSigned = JSON.parse(events[5]!.body)
      expect(lastSigned.doc.sha256).toBe(done.documentSha256)
      expect(lastSigned.data.otpChallenge).toMatch(/^\d{19}$/)
    }).pipe(Effect.provide(stack)), 60_000)

  it.effect("wrong, reused and other-contract codes are refused; strangers see nothing", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const [a, b, stranger] = [yield* aUser("赵一"), yield* aUser("钱二"), yield* aUser("孙三")]
      const one = yield* newContract(a, [a, b], "simultaneous")
      const two = yield* newContract(a, [a, b], "simultaneous")
      yield* requestSigningCode(b, one.id)
      const codeForOne = yield* lastCodeFor(b.mobile)
      expect(yield* outcome(signContract(b, two.id, codeForOne))).toBe("OtpNotRequested")
      expect(yield* outcome(signContract(b, one.id, codeForOne === "000000" ? "111111" : "000000"))).toBe("OtpIncorrect")
      yield* signContract(b, one.id, codeForOne)
      expect(yield* outcome(signContract(b, one.id, codeForOne))).toBe("PartyAlreadyActed")
      expect(yield* outcome(viewContract(stranger, one.id))).toBe("NotFound")
      expect(yield* outcome(requestSigningCode(stranger, one.id))).toBe("NotFound")
      expect(yield* outcome(rejectContract(stranger, one.id, "x"))).toBe("NotFound")
      expect(yield* outcome(revokeContract(stranger, one.id))).toBe("NotFound")
      expect(yield* outcome(revokeContract(b, two.id))).toBe("NotInitiator")
    }).pipe(Effect.provide(stack)), 60_000)

  it.effect("revoked, rejected and expired contracts can no longer be signed; reminders once an hour", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const [a, b] = [yield* aUser("周四"), yield* aUser("吴五")]
      const revoked = yield* newContract(a, [a, b], "simultaneous")
      yield* requestSigningCode(b, revoked.id)
      const code = yield* lastCodeFor(b.mobile)
      yield* revokeContract(a, revoked.id)
      expect(yield* outcome(signContract(b, revoked.id, code))).toBe("ContractNotInProgress")

      const rejected = yield* newContract(a, [a, b], "simultaneous")
      yield* remindParty(a, rejected.id, 1)
      expect(yield* outcome(remindParty(a, rejected.id, 1))).toBe("RemindTooSoon")
      const after = yield* rejectContract(b, rejected.id, "条款有误")
      expect([after.status, after.rejectionReason]).toEqual(["rejected", "条款有误"])
      expect(yield* outcome(requestSigningCode(a, rejected.id))).toBe("ContractNotInProgress")

      const expiring = yield* newContract(a, [a, b], "simultaneous")
      yield* TestClock.adjust("3 days")
      expect(yield* expireDueContracts()).toBeGreaterThanOrEqual(1)
      expect(yield* outcome(requestSigningCode(b, expiring.id))).toBe("ContractNotInProgress")
      expect((yield* viewContract(a, expiring.id)).status).toBe("expired")
    }).pipe(Effect.provide(stack)), 60_000)

  it.effect("expired codes are refused, a used code never confirms again, and the contract is left as it was", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const [a, b] = [yield* aUser("卫一"), yield* aUser("蒋二")]
      const contract = yield* newContract(a, [a, b], "simultaneous")
      yield* requestSigningCode(b, contract.id)
      const stale = yield* lastCodeFor(b.mobile)
      yield* TestClock.adjust("6 minutes")
      expect(yield* outcome(signContract(b, contract.id, stale))).toBe("OtpExpired")
      const unchanged = Option.getOrThrow(yield* ContractRepository.use((r) => r.find(contract.id)))
      expect([unchanged.documentVersion, unchanged.parties[1]!.status]).toEqual([0, "waiting"])
      yield* TestClock.adjust("2 minutes")
      yield* requestSigningCode(b, contract.id)
      const fresh = yield* lastCodeFor(b.mobile)
      yield* signContract(b, contract.id, fresh)
      // The code is used up: the OTP rules refuse it for the very purpose it was sent for.
      const purpose = signingPurpose(contract.id, 1, (yield* ContractRepository.use((r) => r.versions(contract.id)))[0]!.sha256)
      expect(yield* outcome(confirmCode(b.mobile, purpose, fresh))).not.toBe("success")
    }).pipe(Effect.provide(stack)), 60_000)

  it.effect("the core API refuses to sign revoked, rejected and expired contracts, even with the will confirmed", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const [a, b] = [yield* aUser("沈三"), yield* aUser("韩四")]
      // Codes requested while each contract could still be signed (a minute apart: one SMS a minute per mobile).
      const codeFor = (id: NumericId) => Effect.flatMap(requestSigningCode(b, id), () => Effect.tap(lastCodeFor(b.mobile), () => TestClock.adjust("61 seconds")))
      const revoked = yield* newContract(a, [a, b], "simultaneous")
      const rejected = yield* newContract(a, [a, b, yield* aUser("杨五")], "simultaneous")
      const expired = yield* newContract(a, [a, b], "simultaneous")
      const codes = [yield* codeFor(revoked.id), yield* codeFor(rejected.id)]
      yield* revokeContract(a, revoked.id)
      yield* rejectContract(a, rejected.id, "不签了")
      const refused = (c: typeof revoked, code: string) =>
        Effect.gen(function*() {
          expect(yield* outcome(signContract(b, c.id, code))).toBe("ContractNotInProgress")
          expect(yield* outcome(applySignature(b, c.id, { seed: true }))).toBe("ContractNotInProgress")
          const after = Option.getOrThrow(yield* ContractRepository.use((r) => r.find(c.id)))
          expect([after.documentVersion, after.parties[1]!.status]).toEqual([0, "waiting"])
        })
      yield* refused(revoked, codes[0]!)
      yield* refused(rejected, codes[1]!)
      yield* TestClock.adjust("3 days")
      yield* expireDueContracts()
      yield* refused(expired, "000000")
    }).pipe(Effect.provide(stack)), 60_000)

  it.effect("drafts (C1): saved, resumed with other parties and boxes, sent; only their initiator sees, edits or deletes them", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const [a, b, c] = [yield* aUser("朱六"), yield* aUser("秦七"), yield* aUser("尤八")]
      const now = yield* Clock.currentTimeMillis
      const pdf = yield* Effect.promise(() => classicPdf(2, "Draft contract"))
      const draft = yield* createContract(a, { name: "草稿合同", pdf, mode: "sequential", deadline: now + 86_400_000, parties: [{ name: b.name!, mobile: b.mobile }] })
      expect([draft.status, draft.fields.map((f) => [f.page, f.partyIndex])]).toEqual(["draft", [[2, 0]]])
      expect((yield* listDrafts(a, 10, 0)).items.map((x) => x.id)).toEqual([draft.id])
      // A party of a draft learns nothing of it, not even by its number.
      expect(yield* outcome(viewContract(b, draft.id))).toBe("NotFound")
      expect(yield* outcome(requestSigningCode(b, draft.id))).toBe("NotFound")
      expect((yield* ContractRepository.use((r) => r.list({ mobile: b.mobile, userId: b.id, limit: 10, offset: 0 }))).total).toBe(0)
      expect(yield* outcome(updateDraft(b, draft.id, { name: "x", mode: "sequential", deadline: now + 1, parties: [] }))).toBe("NotFound")
      expect(yield* outcome(deleteDraft(b, draft.id))).toBe("NotFound")
      expect(yield* outcome(sendContract(b, draft.id))).toBe("NotFound")
      // A box off the page is refused and nothing changes.
      const parties = [{ name: b.name!, mobile: b.mobile }, { name: c.name!, mobile: c.mobile }]
      const off = new SignField({ partyIndex: 1, page: 1, x: 500, y: 100, width: 150, height: 60, kind: "date" })
      expect(yield* outcome(updateDraft(a, draft.id, { name: "改名", mode: "simultaneous", deadline: now + 2 * 86_400_000, parties, fields: [off] }))).toBe("ContractFieldsInvalid")
      expect(Option.getOrThrow(yield* ContractRepository.use((r) => r.find(draft.id))).name).toBe("草稿合同")
      const fields = [
        new SignField({ partyIndex: 0, page: 1, x: 60, y: 80, width: 150, height: 60, kind: "signature" }),
        new SignField({ partyIndex: 1, page: 2, x: 300, y: 80, width: 120, height: 40, kind: "date" }),
      ]
      // A person has no seal to stamp: a seal box for one is refused.
      expect(yield* outcome(updateDraft(a, draft.id, { name: "改名", mode: "simultaneous", deadline: now + 2 * 86_400_000, parties, fields: [fields[0]!, new SignField({ ...fields[1]!, kind: "seal" })] }))).toBe("ContractFieldsInvalid")
      const edited = yield* updateDraft(a, draft.id, { name: "改名", mode: "simultaneous", deadline: now + 2 * 86_400_000, parties, fields })
      expect([edited.name, edited.mode, edited.status, edited.parties.map((p) => p.mobile), edited.fields]).toEqual(["改名", "simultaneous", "draft", [b.mobile, c.mobile], fields])
      const sent = yield* sendContract(a, draft.id)
      expect(sent.status).toBe("inProgress")
      expect((yield* viewContract(c, draft.id)).name).toBe("改名")
      expect(yield* outcome(updateDraft(a, draft.id, { name: "x", mode: "sequential", deadline: now + 86_400_000, parties }))).toBe("ContractNotDraft")
      expect(yield* outcome(deleteDraft(a, draft.id))).toBe("ContractNotDraft")
      const events = yield* EvidenceStore.use((e) => e.eventsOf(`contract:${draft.id}`))
      expect(JSON.parse(events.find((e) => e.type === "contract.sent")!.body).data).toMatchObject({ parties: 2, mode: "simultaneous" })
      // Another draft is deleted outright.
      const other = yield* createContract(a, { name: "作废草稿", pdf, mode: "sequential", deadline: now + 86_400_000, parties: [] })
      yield* deleteDraft(a, other.id)
      expect(yield* outcome(viewContract(a, other.id))).toBe("NotFound")
      expect((yield* listDrafts(a, 10, 0)).total).toBe(0)
    }).pipe(Effect.provide(stack)), 60_000)

  it.effect("a box outside its page, or on a page the document lacks, creates nothing", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const a = yield* aUser("许九")
      const pdf = yield* Effect.promise(() => classicPdf(1, "One page"))
      const input = { name: "越界", pdf, mode: "sequential" as const, deadline: (yield* Clock.currentTimeMillis) + 86_400_000, parties: [{ name: a.name!, mobile: a.mobile }] }
      const outside = new SignField({ partyIndex: 0, page: 1, x: -20, y: 80, width: 150, height: 60, kind: "signature" })
      expect(yield* outcome(createContract(a, { ...input, fields: [outside] }))).toBe("ContractFieldsInvalid")
      expect(yield* outcome(createContract(a, { ...input, fields: [new SignField({ ...outside, x: 20, page: 2 })] }))).toBe("ContractFieldsInvalid")
      expect((yield* ContractRepository.use((r) => r.list({ mobile: a.mobile, userId: a.id, status: ["draft"], limit: 10, offset: 0 }))).total).toBe(0)
    }).pipe(Effect.provide(stack)), 60_000)

  // Crashes injected inside the signing act's transaction, after the contract's conditional write: at its history
  // (a defect), at its evidence events (a failing write), at its 提醒 rows (a defect). Each must leave neither the
  // signature nor anything of the act; the act done again afterwards leaves all of it.
  const crash: { at: "history" | "events" | "notices" | null } = { at: null }
  const crashingWrites = Layer.mergeAll(
    Layer.effect(ContractRepository, ContractRepository.use((repo) => Effect.succeed({
      ...repo,
      addHistory: (entry) => crash.at === "history" && entry.action === "completed" ? Effect.die("injected crash before commit") : repo.addHistory(entry),
    }))),
    Layer.effect(EvidenceStore, EvidenceStore.use((store) => Effect.succeed({
      ...store,
      insertEvents: (events, openings, firstLeaf) =>
        crash.at === "events" ? Effect.fail(new RepositoryError({ operation: "evidence.insert", cause: "injected" })) : store.insertEvents(events, openings, firstLeaf),
    }))),
    Layer.effect(NotificationRepository, NotificationRepository.use((repo) => Effect.succeed({
      ...repo,
      insert: (n) => crash.at === "notices" ? Effect.die("injected crash at the notices") : repo.insert(n),
    }))),
  )
  /** The stack with those writes wrapped; the evidence recorder is built on the wrapped event store. */
  const crashingOn = (accounts: typeof layerTest, ca = caDir) =>
    EvidenceRecorder.layer.pipe(
      Layer.provideMerge(crashingWrites),
      Layer.provideMerge(Layer.mergeAll(services(accounts, ca), ContractEventSink.none, layerEvidenceRepositories.pipe(Layer.provide(accounts)))),
    )
  const crashes = (name: string, layer: ReturnType<typeof crashingOn>) => it.effect(`${name}: a crash between the last signature's write and its events, history or notices leaves neither; the act can be done again`, () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const [a, b] = [yield* aUser("孙九"), yield* aUser("周十")]
      const contract = yield* newContract(a, [a, b], "sequential")
      yield* sign(a, contract.id)
      const snapshot = Effect.gen(function*() {
        const repo = yield* ContractRepository
        const c = Option.getOrThrow(yield* repo.find(contract.id))
        return {
          status: c.status, revision: c.revision, version: c.documentVersion, parties: c.parties.map((p) => p.status),
          versions: (yield* repo.versions(contract.id)).length,
          history: (yield* repo.history(contract.id)).map((h) => h.action),
          events: (yield* EvidenceStore.use((e) => e.eventsOf(`contract:${contract.id}`))).map((e) => e.type),
          notices: yield* Effect.all([a, b].map((u) => NotificationRepository.use((r) => r.count(u.mobile)))),
          textsToA: (yield* SmsOutbox.use((o) => o.recent(100, a.mobile))).length,
        }
      })
      yield* requestSigningCode(b, contract.id)
      const code = yield* lastCodeFor(b.mobile)
      const before = yield* snapshot
      for (const at of ["history", "events", "notices"] as const) {
        crash.at = at
        const crashed = yield* Effect.exit(signContract(b, contract.id, code))
        crash.at = null
        expect([at, crashed._tag]).toEqual([at, "Failure"])
        // Neither the signature, its version, its history, its evidence nor its notices, and nothing texted: as it was.
        expect(yield* snapshot).toEqual(before)
      }
      // The code is used up with the act, so the failed acts left it usable: the signer tries again with it.
      const done = yield* signContract(b, contract.id, code)
      // And it confirmed that act only.
      expect(yield* outcome(signContract(b, contract.id, code))).not.toBe("success")
      expect(done.status).toBe("completed")
      const after = yield* snapshot
      expect(after.events.slice(before.events.length)).toEqual(["contract.signed", "contract.completed"])
      expect(after.history.slice(before.history.length)).toEqual(["signed", "completed"])
      expect([after.versions, after.revision]).toEqual([before.versions + 1, before.revision + 1])
      // Both parties told it is complete: the rows committed with the act, the texts went out after it.
      expect(after.notices).toEqual(before.notices.map((n) => n + 1))
      expect(after.textsToA).toBe(before.textsToA + 1)
    }).pipe(Effect.provide(layer)), 60_000)

  // A CA directory of its own: services() seals its keys under a fresh master key.
  crashes("SQLite", crashingOn(layerTest, mkdtempSync(join(tmpdir(), "signet-contract-ca-crash-"))))

  const concurrent = (name: string, layer: typeof stack, ca = caDir) => it.effect(`${name}: three parties confirming at the same moment all end up signed, in one version chain`, () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const [a, b, c] = [yield* aUser("郑六"), yield* aUser("冯七"), yield* aUser("陈八")]
      const contract = yield* newContract(a, [a, b, c], "simultaneous")
      const codes: Array<string> = []
      for (const u of [a, b, c]) {
        yield* requestSigningCode(u, contract.id)
        codes.push(yield* lastCodeFor(u.mobile))
      }
      const results = yield* Effect.all([a, b, c].map((u, i) => signContract(u, contract.id, codes[i]!)), { concurrency: "unbounded" })
      const final = results.reduce((x, y) => (x.revision > y.revision ? x : y))
      expect([final.status, final.documentVersion]).toEqual(["completed", 3])
      const pdf = Option.getOrThrow(yield* BlobStore.use((s) => s.get(final.documentSha256)))
      if (tools) expectValidators(pdf, 3, { nss: nssDbTrusting(caFiles(ca).rootCert), rootPem: caFiles(ca).rootCert, name: `contract-parallel-${name}` })
    }).pipe(Effect.provide(layer)), 60_000)

  concurrent("SQLite", stack)
  const pg = postgresUrl("contracts on Postgres")
  if (pg !== null) {
    const schema = `t_${randomBytes(6).toString("hex")}`
    const pgCa = mkdtempSync(join(tmpdir(), "signet-contract-ca-pg-"))
    concurrent("Postgres", stackOn(layerAccountsOn(migrated(layerPostgres(pg, schema))) as unknown as typeof layerTest, pgCa), pgCa)
    const crashSchema = `t_${randomBytes(6).toString("hex")}`
    const crashCa = mkdtempSync(join(tmpdir(), "signet-contract-ca-pg-"))
    crashes("Postgres", crashingOn(layerAccountsOn(migrated(layerPostgres(pg, crashSchema))) as unknown as typeof layerTest, crashCa))
    afterAll(() => Effect.runPromise(Effect.all([dropSchema(pg, schema), dropSchema(pg, crashSchema)])))
  }
})
