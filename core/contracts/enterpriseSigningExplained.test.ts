import { mkdtempSync } from "node:fs"
import { randomBytes } from "node:crypto"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { layerSoftwareCa } from "../../adapters/signing-identity/index.ts"
import { addMember, contractEnterprises } from "../../fixtures/contractEnterprises.ts"
import { lastCodeFor } from "../../fixtures/layers.ts"
import { layerOrganizationsTest, outcome, person } from "../../fixtures/organizations.ts"
import { classicPdf } from "../../fixtures/pdfs/generate.ts"
import type { User } from "../accounts/User.ts"
import { delegateSignature } from "../seals/delegation.ts"
import { orgScope } from "../organizations/orgScope.ts"
import { authorizeSeal, createSeal } from "../seals/seals.ts"
import { AppLinks } from "../ports/AppLinks.ts"
import { createContract, sendContract } from "./createContract.ts"
import type { ContractPartyInput } from "./parties.ts"
import { requestSigningCode, signContract } from "./signContract.ts"
import { enterpriseSigningOptions } from "./signingOptions.ts"

const caDir = mkdtempSync(join(tmpdir(), "signet-signing-explained-ca-"))
const stack = Layer.mergeAll(
  layerSoftwareCa(caDir, new Uint8Array(randomBytes(32))),
  Layer.succeed(AppLinks, { contract: (id) => `http://127.0.0.1:3000/contracts/${id}` }),
).pipe(Layer.provideMerge(layerOrganizationsTest))

const send = (initiator: User, parties: ReadonlyArray<ContractPartyInput>, enterpriseId: string) =>
  Effect.gen(function*() {
    const draft = yield* createContract(initiator, {
      name: "采购合同", pdf: yield* Effect.promise(() => classicPdf(1, "Purchase")), mode: "simultaneous",
      deadline: (yield* Clock.currentTimeMillis) + 3 * 24 * 3600_000, parties, initiatedFor: { enterpriseId },
    })
    return yield* sendContract(initiator, draft.id)
  })

describe("enterprise signing explains itself (issue 17)", () => {
  it.effect("a branch agent with a 全部合同 delegation signs a head-office contract with it", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const w = yield* contractEnterprises
      const { jia, bing, wu } = w.people
      const gui = yield* person("癸")
      yield* addMember(w.signing.id, gui, ["agent"], w.south.id)
      const southSeal = yield* createSeal(yield* orgScope(bing.id, w.signing.id), { name: "华南合同章", type: "contract", branchId: w.south.id, image: { kind: "generate" } })
      yield* authorizeSeal(yield* orgScope(bing.id, w.signing.id), southSeal.id, gui.id)
      const choice = { sealId: southSeal.id, signatoryUserId: wu.id }
      const contract = yield* send(jia, [{ enterpriseName: w.signing.name, signerMobile: gui.mobile }], w.initiating.id)
      const party = contract.parties[0]!
      // No delegation yet: refused, and told why and who could sign (nobody else: the party names 癸).
      const before = yield* enterpriseSigningOptions(gui, party)
      expect([before.signatories, before.blocked?.reasons, before.blocked?.ableSigners]).toEqual([[], ["noSignatory"], []])
      expect(yield* outcome(requestSigningCode(gui, contract.id, choice))).toBe("SignatureNotDelegated")
      // 戊 (head office) delegates for 全部合同: the branch agent may now use it on the head office's contract.
      yield* delegateSignature(yield* orgScope(wu.id, w.signing.id), { agentUserId: gui.id, branchId: null, validFrom: null, validUntil: null })
      const after = yield* enterpriseSigningOptions(gui, party)
      expect([after.signatories.map((s) => [s.userId, s.delegated]), after.blocked]).toEqual([[[wu.id, true]], undefined])
      yield* requestSigningCode(gui, contract.id, choice)
      const done = yield* signContract(gui, contract.id, yield* lastCodeFor(gui.mobile), choice)
      expect(done.status).toBe("completed")
    }).pipe(Effect.provide(stack)), 120_000)

  it.effect("who cannot sign hears why, and who can sign now is named with their roles", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const w = yield* contractEnterprises
      const { jia, bing, ding, wu, geng } = w.people
      const ren = yield* person("壬")
      yield* addMember(w.signing.id, ren, ["signatory"])
      const contract = yield* send(jia, [{ enterpriseName: w.signing.name }], w.initiating.id)
      const party = contract.parties[0]!
      // The admin holds every seal but no signature: 丁 (seal granted, 戊's delegation) and 己 (seal, no signature: not able) — only 丁 can sign.
      const admin = yield* enterpriseSigningOptions(bing, party)
      expect(admin.seals.length).toBeGreaterThan(0)
      expect(admin.blocked?.reasons).toEqual(["noSignatory"])
      expect(admin.blocked?.ableSigners.map((s) => [s.name, s.roles])).toEqual([["丁", ["agent"]]])
      expect(admin.blocked?.adminName).toBe("丙")
      // The signatory has a signature but no seal; a signatory without a signature on file is told so.
      expect((yield* enterpriseSigningOptions(wu, party)).blocked?.reasons).toEqual(["noSeal"])
      expect((yield* enterpriseSigningOptions(ren, party)).blocked?.reasons).toEqual(["noSeal", "ownSignatureMissing"])
      // The branch admin of 华南分公司 does not reach the head office: never listed as able.
      expect(admin.blocked?.ableSigners.some((s) => s.userId === geng.id)).toBe(false)
      // Whoever is ready gets no explanation.
      expect((yield* enterpriseSigningOptions(ding, party)).blocked).toBeUndefined()
    }).pipe(Effect.provide(stack)), 120_000)
})
