/**
 * Issue 16, finding 5: a member deactivated (注销) kept the initiator's rights
 * on the enterprise contracts he started (view, download, remind, revoke).
 * A contract initiated for an enterprise belongs to it: 注销 takes every
 * right, and the admin (or the initiating branch's admin) hands it over.
 */
import { mkdtempSync } from "node:fs"
import { randomBytes } from "node:crypto"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { layerSoftwareCa } from "../../adapters/signing-identity/index.ts"
import { addMember, contractEnterprises, deactivate } from "../../fixtures/contractEnterprises.ts"
import { layerOrganizationsTest, outcome, person } from "../../fixtures/organizations.ts"
import { classicPdf } from "../../fixtures/pdfs/generate.ts"
import { orgScope } from "../organizations/orgScope.ts"
import { AppLinks } from "../ports/AppLinks.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { myContracts } from "./access.ts"
import { downloadContract, remindParty, revokeContract, viewContract } from "./contractActs.ts"
import { createContract, sendContract } from "./createContract.ts"
import { enterpriseContracts } from "./enterpriseList.ts"
import { handContractOver, handoverChoices } from "./handOver.ts"

const stack = Layer.mergeAll(
  layerSoftwareCa(mkdtempSync(join(tmpdir(), "signet-initiator-leaves-ca-")), new Uint8Array(randomBytes(32))),
  Layer.succeed(AppLinks, { contract: (id) => `http://127.0.0.1:3000/contracts/${id}` }),
).pipe(Layer.provideMerge(layerOrganizationsTest))

describe("contracts initiated for an enterprise belong to it (issue 16 finding 5)", () => {
  it.layer(stack)((it) => {
    it.effect("a deactivated initiator loses view, download, remind, revoke and the listing; the admin hands the contract to another agent, with evidence", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.now())
        const w = yield* contractEnterprises
        const { jia, yi, xin } = w.people
        const guest = yield* person("访客")
        const draft = yield* createContract(yi, {
          name: "采购合同", pdf: yield* Effect.promise(() => classicPdf(1, "Purchase")), mode: "sequential",
          deadline: (yield* Clock.currentTimeMillis) + 3 * 24 * 3600_000, parties: [{ name: guest.name!, mobile: guest.mobile }],
          initiatedFor: { enterpriseId: w.initiating.id },
        })
        const later = yield* createContract(yi, {
          name: "草稿合同", pdf: yield* Effect.promise(() => classicPdf(1, "Draft")), mode: "sequential",
          deadline: (yield* Clock.currentTimeMillis) + 3 * 24 * 3600_000, parties: [{ name: guest.name!, mobile: guest.mobile }],
          initiatedFor: { enterpriseId: w.initiating.id },
        })
        const contract = yield* sendContract(yi, draft.id)
        expect(yield* outcome(viewContract(yi, contract.id))).toBe("success")
        expect((yield* myContracts(yi, { limit: 10, offset: 0 })).total).toBe(1)

        yield* deactivate(w.initiating.id, yi)
        expect(yield* outcome(viewContract(yi, contract.id))).toBe("NotFound")
        expect(yield* outcome(downloadContract(yi, contract.id))).toBe("NotFound")
        expect(yield* outcome(remindParty(yi, contract.id, 0))).toBe("NotFound")
        expect(yield* outcome(revokeContract(yi, contract.id))).toBe("NotFound")
        expect(yield* outcome(sendContract(yi, later.id))).toBe("NotFound")
        expect((yield* myContracts(yi, { limit: 10, offset: 0 })).total).toBe(0)
        expect((yield* myContracts(yi, { tab: "drafts", limit: 10, offset: 0 })).total).toBe(0)
        // The guest still sees it: the contract runs on.
        expect(yield* outcome(viewContract(guest, contract.id))).toBe("success")

        // The admin hands it to another agent; not to himself, not to the one who left, not from outside.
        const geng2 = yield* person("接手人")
        yield* addMember(w.initiating.id, geng2, ["agent"])
        const admin = yield* orgScope(jia.id, w.initiating.id)
        const choices = yield* handoverChoices(admin, contract.id)
        expect([choices.holderActive, choices.candidates.map((m) => m.member.userId)]).toEqual([false, [geng2.id]])
        expect((yield* enterpriseContracts(admin, { limit: 10, offset: 0 })).rows.find((r) => r.contract.id === contract.id)?.mayHandOver).toBe(true)
        expect(yield* outcome(handContractOver(admin, contract.id, jia.id))).toBe("Forbidden")
        expect(yield* outcome(handContractOver(admin, contract.id, yi.id))).toBe("ContractHandoverTargetInvalid")
        expect(yield* outcome(handContractOver(yield* orgScope(geng2.id, w.initiating.id), contract.id, geng2.id))).toBe("Forbidden")
        expect(yield* outcome(handContractOver(yield* orgScope(xin.id, w.other.id), contract.id, xin.id))).toBe("NotFound")
        yield* handContractOver(admin, contract.id, geng2.id)
        expect(yield* outcome(remindParty(geng2, contract.id, 0))).toBe("success")
        expect(yield* outcome(revokeContract(geng2, contract.id))).toBe("success")
        const events = (yield* EvidenceStore.use((s) => s.eventsOf(`contract:${contract.id}`))).map((e) => e.type)
        expect(events).toContain("contract.handed_over")
        expect(events.indexOf("contract.handed_over")).toBeLessThan(events.indexOf("contract.revoked"))
      }))
  })
})
