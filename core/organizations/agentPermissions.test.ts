import { mkdtempSync } from "node:fs"
import { randomBytes } from "node:crypto"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import { layerSoftwareCa } from "../../adapters/signing-identity/index.ts"
import { contractEnterprises } from "../../fixtures/contractEnterprises.ts"
import { layerOrganizationsTest, outcome } from "../../fixtures/organizations.ts"
import { classicPdf } from "../../fixtures/pdfs/generate.ts"
import type { User } from "../accounts/User.ts"
import { createContract, sendContract } from "../contracts/createContract.ts"
import { enterpriseContracts } from "../contracts/enterpriseList.ts"
import { enterpriseSigningOptions } from "../contracts/signingOptions.ts"
import { AppLinks } from "../ports/AppLinks.ts"
import { OrganizationRepository } from "../ports/OrganizationRepository.ts"
import { editMember } from "./editMember.ts"
import { orgScope } from "./orgScope.ts"
import type { AgentPermission } from "./permissions.ts"
import { useSeal } from "../seals/usage.ts"

const caDir = mkdtempSync(join(tmpdir(), "signet-agent-permissions-ca-"))
const stack = Layer.mergeAll(
  layerSoftwareCa(caDir, new Uint8Array(randomBytes(32))),
  Layer.succeed(AppLinks, { contract: (id) => `http://127.0.0.1:3000/contracts/${id}` }),
).pipe(Layer.provideMerge(layerOrganizationsTest))

describe("经办人 permissions stored per membership and enforced (issue 17)", () => {
  it.effect("the admin switches an agent's 用印, 发起签约 and 查看全部合同 off one by one; each act is refused, the rest still works", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const w = yield* contractEnterprises
      const { bing, ding, jia } = w.people
      const set = (permissions: ReadonlyArray<AgentPermission>) => editMember(bing.id, w.signing.id, ding.id, { roles: ["agent"], department: null, permissions })
      const send = (initiator: User, initiatedFor?: { enterpriseId: string }) =>
        Effect.gen(function*() {
          const draft = yield* createContract(initiator, {
            name: "服务合同", pdf: yield* Effect.promise(() => classicPdf(1, "Service")), mode: "simultaneous",
            deadline: (yield* Clock.currentTimeMillis) + 3 * 24 * 3600_000, parties: [{ enterpriseName: w.signing.name }], initiatedFor,
          })
          return yield* sendContract(initiator, draft.id)
        })
      const toSigning = yield* send(jia, { enterpriseId: w.initiating.id })
      const list = () => Effect.flatMap(orgScope(ding.id, w.signing.id), (s) => enterpriseContracts(s, { limit: 10, offset: 0 }))

      // 用印 off: the granted seal is refused and no longer offered; the delegated signature still is.
      const saved = yield* set(["initiate", "viewAll", "templates"])
      expect(saved.permissions).toEqual(["initiate", "viewAll", "templates"])
      expect(Option.getOrThrow(yield* (yield* OrganizationRepository).member(w.signing.id, ding.id)).permissions).toEqual(["initiate", "viewAll", "templates"])
      expect(yield* outcome(useSeal(ding.id, w.signing.id, w.seal.id, { contractId: toSigning.id }))).toBe("SealNotAuthorized")
      const options = yield* enterpriseSigningOptions(ding, toSigning.parties[0]!)
      expect([options.seals, options.signatories.length, options.blocked?.reasons]).toEqual([[], 1, ["noSeal"]])
      expect((yield* list()).rows.map((r) => r.contract.id)).toContain(toSigning.id)

      // 发起签约 off: initiating for the enterprise is refused.
      yield* set(["seal", "viewAll", "templates"])
      expect(yield* outcome(send(ding, { enterpriseId: w.signing.id }))).toBe("InitiatorNotAllowed")
      expect(yield* outcome(useSeal(ding.id, w.signing.id, w.seal.id, { contractId: toSigning.id }))).toBe("success")

      // 查看全部合同 off: 合同管理 lists only the contracts the agent initiated.
      yield* set(["seal", "initiate", "templates"])
      const own = yield* send(ding, { enterpriseId: w.signing.id })
      expect((yield* list()).rows.map((r) => r.contract.id)).toEqual([own.id])
      // All on again: everything is back.
      yield* set(["initiate", "seal", "viewAll", "templates"])
      expect((yield* list()).rows.map((r) => r.contract.id)).toEqual([own.id, toSigning.id])
    }).pipe(Effect.provide(stack)), 120_000)
})
