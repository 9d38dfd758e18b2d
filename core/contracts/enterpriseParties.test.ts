import { mkdtempSync } from "node:fs"
import { randomBytes } from "node:crypto"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import { caFiles } from "../../adapters/ca/index.ts"
import { layerSoftwareCa } from "../../adapters/signing-identity/index.ts"
import { contractEnterprises, deactivate } from "../../fixtures/contractEnterprises.ts"
import { lastCodeFor } from "../../fixtures/layers.ts"
import { layerOrganizationsTest, outcome, person } from "../../fixtures/organizations.ts"
import { classicPdf } from "../../fixtures/pdfs/generate.ts"
import { expectValidators, nssDbTrusting } from "../../fixtures/signing/validators.ts"
import { requireTools } from "../../fixtures/tools.ts"
import type { User } from "../accounts/User.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { orgScope } from "../organizations/orgScope.ts"
import { AppLinks } from "../ports/AppLinks.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { SealRepository } from "../ports/SealRepository.ts"
import { rejectContract, viewContract, downloadContract } from "./contractActs.ts"
import { createContract, sendContract } from "./createContract.ts"
import { enterpriseContracts } from "./enterpriseList.ts"
import type { ContractPartyInput, InitiatedFor } from "./parties.ts"
import { requestSigningCode, signContract, type SigningChoice } from "./signContract.ts"
import { enterpriseSigningOptions } from "./signingOptions.ts"

const caDir = mkdtempSync(join(tmpdir(), "signet-enterprise-contract-ca-"))
const stack = Layer.mergeAll(
  layerSoftwareCa(caDir, new Uint8Array(randomBytes(32))),
  Layer.succeed(AppLinks, { contract: (id) => `http://127.0.0.1:3000/contracts/${id}` }),
).pipe(Layer.provideMerge(layerOrganizationsTest))

const tools = requireTools("enterprise contract validators", "pdfsig", "qpdf", "mutool", "openssl")

const send = (initiator: User, parties: ReadonlyArray<ContractPartyInput>, initiatedFor?: InitiatedFor, mode: "sequential" | "simultaneous" = "sequential") =>
  Effect.gen(function*() {
    const draft = yield* createContract(initiator, {
      name: "物流服务合同", pdf: yield* Effect.promise(() => classicPdf(2, "Logistics agreement")), mode,
      deadline: (yield* Clock.currentTimeMillis) + 3 * 24 * 3600_000, parties, initiatedFor,
    })
    return yield* sendContract(initiator, draft.id)
  })

const sign = (user: User, id: NumericId, choice?: SigningChoice) =>
  Effect.gen(function*() {
    yield* requestSigningCode(user, id, choice)
    return yield* signContract(user, id, yield* lastCodeFor(user.mobile), choice)
  })

describe("enterprise parties (C1, C4, C10)", () => {
  it.effect("an agent initiates for its enterprise to a person and another enterprise; the enterprise signs with its seal and a delegated signature (2 signatures), confirmed by a code; outsiders cannot act for it", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const w = yield* contractEnterprises
      const { yi, bing, ding, wu, ji, geng, xin } = w.people
      const guest = yield* person("访客")
      const contract = yield* send(yi, [{ name: guest.name!, mobile: guest.mobile }, { enterpriseName: w.signing.name }], { enterpriseId: w.initiating.id })
      expect([contract.initiatorOrgName, contract.initiatorEnterpriseId, contract.initiatorBranchId]).toEqual([w.initiating.name, w.initiating.id, w.initiating.id])
      const party = contract.parties[1]!
      // The enterprise party: its name, its head office signs, its admin is texted; a seal box and a signature box by default.
      expect([party.name, party.enterpriseId, party.branchName, party.mobile]).toEqual([w.signing.name, w.signing.id, "总公司", bing.mobile])
      expect(contract.fields.filter((f) => f.partyIndex === 1).map((f) => f.kind)).toEqual(["seal", "signature"])

      const choice = { sealId: w.seal.id, signatoryUserId: wu.id }
      // Sequential: the enterprise waits for the person.
      expect(yield* outcome(requestSigningCode(ding, contract.id, choice))).toBe("SignerOutOfTurn")
      yield* sign(guest, contract.id)

      // Nobody outside the enterprise can act for it, even naming its party and its seal.
      expect(yield* outcome(requestSigningCode(xin, contract.id, { ...choice, partyIndex: 1 }))).toBe("NotFound")
      expect(yield* outcome(signContract(xin, contract.id, "123456", { ...choice, partyIndex: 1 }))).toBe("NotFound")
      expect(yield* outcome(viewContract(xin, contract.id))).toBe("NotFound")
      expect(yield* outcome(downloadContract(xin, contract.id))).toBe("NotFound")
      expect(yield* outcome(rejectContract(xin, contract.id, "x", 1))).toBe("NotFound")
      // A member of the enterprise cannot use the other enterprise's seal, nor a seal or signature not granted to them.
      expect(yield* outcome(requestSigningCode(ding, contract.id, { sealId: w.otherSeal.id, signatoryUserId: wu.id }))).toBe("SealNotAuthorized")
      expect(yield* outcome(requestSigningCode(wu, contract.id, choice))).toBe("SealNotAuthorized")
      expect(yield* outcome(requestSigningCode(ji, contract.id, choice))).toBe("SignatureNotDelegated")
      expect(yield* outcome(requestSigningCode(ding, contract.id, { sealId: w.seal.id }))).toBe("EnterpriseSigningIncomplete")
      // A branch admin of 华南分公司 does not reach the head office's contract.
      expect(yield* outcome(requestSigningCode(geng, contract.id, choice))).toBe("NotFound")
      // A deactivated member loses the right at once, their grant notwithstanding.
      yield* deactivate(w.signing.id, ji)
      expect(yield* outcome(viewContract(ji, contract.id))).toBe("NotFound")

      const options = yield* enterpriseSigningOptions(ding, party)
      expect([options.seals.map((s) => s.id), options.signatories.map((s) => [s.userId, s.delegated])]).toEqual([[w.seal.id], [[wu.id, true]]])
      const done = yield* sign(ding, contract.id, choice)
      expect([done.status, done.documentVersion, done.parties.map((p) => p.status)]).toEqual(["completed", 3, ["signed", "signed"]])
      const pdf = Option.getOrThrow(yield* BlobStore.use((b) => b.get(done.documentSha256)))
      expect(new TextDecoder("latin1").decode(pdf).match(/\/Type\s*\/Sig\b/g)?.length).toBe(3)
      if (tools) expectValidators(pdf, 3, { nss: nssDbTrusting(caFiles(caDir).rootCert), rootPem: caFiles(caDir).rootCert, name: "enterprise-party" })

      // Evidence of the enterprise's act: its OTP challenge, the document it produced, the seal and signature uses.
      const events = yield* EvidenceStore.use((e) => e.eventsOf(`contract:${contract.id}`))
      const signed = events.filter((e) => e.type === "contract.signed").map((e) => JSON.parse(e.body))
      expect(signed.length).toBe(2)
      expect(signed[1].doc.sha256).toBe(done.documentSha256)
      expect(signed[1].data).toMatchObject({ party: 1, enterpriseId: w.signing.id, sealId: w.seal.id, delegated: true, signatures: 2 })
      expect(signed[1].data.otpChallenge).toMatch(/^\d{19}$/)
      // The usage log names the contract (E7).
      const seals = yield* SealRepository
      const sealUses = yield* seals.usagesOfSeal(w.signing.id, w.seal.id, 10)
      expect(sealUses.map((u) => [u.contractId, u.actorUserId])).toEqual([[contract.id, ding.id]])
      const signatureUses = yield* seals.usagesOfSignatory(w.signing.id, wu.id, 10)
      expect(signatureUses.map((u) => [u.contractId, u.actorUserId, u.delegationId !== null])).toEqual([[contract.id, ding.id, true]])
      expect(signed[1].data.sealUsageId).toBe(sealUses[0]!.id)
    }).pipe(Effect.provide(stack)), 120_000)

  it.effect("a signatory signs for the enterprise with their own signature; a named signer alone may sign; rejection for the enterprise ends the contract", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const w = yield* contractEnterprises
      const { jia, bing, ding, wu } = w.people
      // Nobody may initiate for an enterprise they are not a member of.
      expect(yield* outcome(send(jia, [{ enterpriseName: w.signing.name }], { enterpriseId: w.signing.id }))).toBe("InitiatorNotAllowed")
      expect(yield* outcome(send(jia, [{ enterpriseName: "不存在的公司" }]))).toBe("EnterprisePartyInvalid")
      expect(yield* outcome(send(jia, [{ enterpriseName: w.signing.name, signerMobile: jia.mobile }]))).toBe("EnterprisePartyInvalid")
      expect(yield* outcome(send(jia, [{ enterpriseName: w.signing.name }, { enterpriseName: w.signing.name }]))).toBe("EnterprisePartyInvalid")

      // 丙 (the admin) holds no grant yet: the signatory named to sign must be the one who signs.
      const named = yield* send(jia, [{ enterpriseName: w.signing.name, signerMobile: ding.mobile }], { enterpriseId: w.initiating.id })
      expect([named.parties[0]!.signerUserId, named.parties[0]!.mobile]).toEqual([ding.id, ding.mobile])
      expect(yield* outcome(requestSigningCode(bing, named.id, { sealId: w.seal.id, signatoryUserId: wu.id }))).toBe("NotFound")
      yield* rejectContract(ding, named.id, "条款有误")
      expect(yield* outcome(requestSigningCode(ding, named.id, { sealId: w.seal.id, signatoryUserId: wu.id }))).toBe("ContractNotInProgress")

      // The signatory signs with their own signature (not a delegation); no seal is granted to them.
      const own = yield* send(jia, [{ enterpriseName: w.signing.name }], { enterpriseId: w.initiating.id })
      const ownOptions = yield* enterpriseSigningOptions(wu, own.parties[0]!)
      expect(ownOptions.signatories.map((s) => [s.userId, s.delegated])).toEqual([[wu.id, false]])
      expect(ownOptions.seals).toEqual([])
    }).pipe(Effect.provide(stack)), 120_000)

  it.effect("C10: the enterprise list shows contracts initiated by or addressed to the enterprise, a branch admin only their subtree's, with the signing branch", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const w = yield* contractEnterprises
      const { jia, bing, geng, xin } = w.people
      const toHead = yield* send(jia, [{ enterpriseName: w.signing.name }], { enterpriseId: w.initiating.id })
      const toSouth = yield* send(jia, [{ enterpriseName: w.signing.name, branchId: w.south.id }], { enterpriseId: w.initiating.id })
      const list = (user: User, enterpriseId: string) =>
        Effect.flatMap(orgScope(user.id, enterpriseId), (scope) => enterpriseContracts(scope, { limit: 10, offset: 0 }))
      const ids = (l: { rows: ReadonlyArray<{ contract: { id: string } }> }) => l.rows.map((r) => r.contract.id)
      expect(ids(yield* list(jia, w.initiating.id))).toEqual([toSouth.id, toHead.id])
      const head = yield* list(bing, w.signing.id)
      expect([ids(head), head.rows.map((r) => r.branchName), head.total]).toEqual([[toSouth.id, toHead.id], ["华南分公司", "总公司"], 2])
      const branch = yield* list(geng, w.signing.id)
      expect([ids(branch), branch.total]).toEqual([[toSouth.id], 1])
      // The branch admin opens the contract of their branch, not the head office's.
      expect((yield* viewContract(geng, toSouth.id)).id).toBe(toSouth.id)
      expect(yield* outcome(viewContract(geng, toHead.id))).toBe("NotFound")
      // Another enterprise sees none of them, and cannot list the signing enterprise's.
      expect(ids(yield* list(xin, w.other.id))).toEqual([])
      expect(yield* outcome(list(xin, w.signing.id))).toBe("NotFound")
      // Search by the counterpart's name, and by status.
      expect(ids(yield* Effect.flatMap(orgScope(bing.id, w.signing.id), (s) => enterpriseContracts(s, { search: w.initiating.name.slice(0, 4), limit: 10, offset: 0 })))).toEqual([toSouth.id, toHead.id])
      expect(ids(yield* Effect.flatMap(orgScope(bing.id, w.signing.id), (s) => enterpriseContracts(s, { status: ["completed"], limit: 10, offset: 0 })))).toEqual([])
    }).pipe(Effect.provide(stack)), 120_000)
})
