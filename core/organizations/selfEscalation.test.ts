/**
 * Issue 16, finding 2: an agent appointed himself branch admin, created a
 * seal with the enterprise's certificate and authorized it to himself, with no
 * admin involved. Every step of that path is refused on its own: nobody gives
 * themselves a role or a grant, an agent appoints nobody, only the admin makes
 * seals, and nobody gives more than they hold.
 */
import { mkdtempSync } from "node:fs"
import { randomBytes } from "node:crypto"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import { layerSoftwareCa } from "../../adapters/signing-identity/index.ts"
import { TEST_EPOCH } from "../../fixtures/layers.ts"
import { enterpriseOf, layerOrganizationsTest, outcome, person } from "../../fixtures/organizations.ts"
import { OrganizationRepository } from "../ports/OrganizationRepository.ts"
import { SealRepository } from "../ports/SealRepository.ts"
import { createBranch } from "./createBranch.ts"
import { editMember } from "./editMember.ts"
import { inviteMember } from "./inviteMember.ts"
import { orgScope } from "./orgScope.ts"
import { acceptInvitation } from "./respondInvitation.ts"
import { authorizeSeal, createSeal } from "../seals/seals.ts"
import { useSeal } from "../seals/usage.ts"

const stack = layerSoftwareCa(mkdtempSync(join(tmpdir(), "signet-escalation-ca-")), new Uint8Array(randomBytes(32))).pipe(
  Layer.provideMerge(layerOrganizationsTest),
)

const rolesOf = (enterpriseId: string, userId: string) =>
  Effect.map(OrganizationRepository.use((r) => r.member(enterpriseId, userId)), Option.map((m) => m.roles.join(",")))

const join2 = (actor: string, enterpriseId: string, invitee: { id: string; mobile: string }, role: "agent" | "signatory" | "branchAdmin", branchId?: string) =>
  Effect.flatMap(inviteMember(actor, enterpriseId, { mobile: invitee.mobile, role, branchId }), (inv) => acceptInvitation(invitee.id, inv.id))

describe("self-escalation (issue 16 finding 2)", () => {
  it.layer(stack)((it) => {
    it.effect("an agent cannot make himself branch admin, nor anyone else", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const [admin, agent, other] = [yield* person("张三"), yield* person("李四"), yield* person("王五")]
        const e = yield* enterpriseOf(admin)
        const sh = yield* createBranch(admin.id, e.id, "上海分公司")
        yield* join2(admin.id, e.id, agent, "agent", sh.id)
        yield* join2(admin.id, e.id, other, "agent", sh.id)
        expect(yield* outcome(inviteMember(agent.id, e.id, { mobile: agent.mobile, role: "branchAdmin", branchId: sh.id }))).toBe("Forbidden")
        expect(yield* outcome(inviteMember(agent.id, e.id, { mobile: other.mobile, role: "branchAdmin", branchId: sh.id }))).toBe("Forbidden")
        expect(yield* rolesOf(e.id, agent.id)).toEqual(Option.some("agent"))
      }))

    it.effect("nobody adds a role to themselves: not the admin, not a branch admin", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const [admin, boss] = [yield* person("张三"), yield* person("钱七")]
        const e = yield* enterpriseOf(admin)
        const sh = yield* createBranch(admin.id, e.id, "上海分公司")
        yield* join2(admin.id, e.id, boss, "branchAdmin", sh.id)
        expect(yield* outcome(inviteMember(admin.id, e.id, { mobile: admin.mobile, role: "signatory" }))).toBe("Forbidden")
        expect(yield* outcome(inviteMember(boss.id, e.id, { mobile: boss.mobile, role: "agent", branchId: sh.id }))).toBe("Forbidden")
        expect(yield* outcome(editMember(boss.id, e.id, boss.id, { department: null, roles: ["branchAdmin", "agent"] }))).toBe("Forbidden")
        expect(yield* rolesOf(e.id, boss.id)).toEqual(Option.some("branchAdmin"))
        // Changing one's own department (no role, no branch) stays allowed.
        expect(yield* outcome(editMember(admin.id, e.id, admin.id, { department: "总经办", roles: [] }))).toBe("success")
      }))

    it.effect("only the admin creates seals; a branch admin cannot authorize a seal to himself; the admin uses seals without a grant", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const [admin, boss, agent] = [yield* person("张三"), yield* person("钱七"), yield* person("李四")]
        const e = yield* enterpriseOf(admin)
        const sh = yield* createBranch(admin.id, e.id, "上海分公司")
        yield* join2(admin.id, e.id, boss, "branchAdmin", sh.id)
        yield* join2(admin.id, e.id, agent, "agent", sh.id)
        const bossScope = yield* orgScope(boss.id, e.id)
        expect(yield* outcome(createSeal(bossScope, { name: "上海合同章", type: "contract", branchId: sh.id, image: { kind: "generate" } }))).toBe("Forbidden")
        expect(yield* SealRepository.use((r) => r.seals(e.id))).toHaveLength(0)
        const seal = yield* createSeal(yield* orgScope(admin.id, e.id), { name: "上海合同章", type: "contract", branchId: sh.id, image: { kind: "generate" } })
        expect(seal.createdBy).toBe(admin.id)
        expect(yield* outcome(authorizeSeal(bossScope, seal.id, boss.id))).toBe("Forbidden")
        expect(yield* outcome(authorizeSeal(yield* orgScope(admin.id, e.id), seal.id, admin.id))).toBe("Forbidden")
        expect(yield* outcome(useSeal(boss.id, e.id, seal.id, { contractId: "1" }))).toBe("SealNotAuthorized")
        // The branch admin still authorizes the branch's agents (he holds the seal's management, not its use).
        expect(yield* authorizeSeal(bossScope, seal.id, agent.id)).toBe(true)
        expect(yield* outcome(useSeal(agent.id, e.id, seal.id, { contractId: "1" }))).toBe("success")
        expect(yield* outcome(useSeal(admin.id, e.id, seal.id, { contractId: "1" }))).toBe("success")
      }))
  })
})
