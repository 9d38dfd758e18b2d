import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { EnterpriseRepository } from "../../core/ports/EnterpriseRepository.ts"
import { MembershipRepository } from "../../core/ports/MembershipRepository.ts"
import { EvidenceStore } from "../../core/ports/EvidenceStore.ts"
import { bootForTest } from "../../fixtures/boot.ts"
import { seedOrganizations } from "./seedOrganizations.ts"

const WORKSPACE_EVENTS = new Set(["branch.created", "member.invited", "member.added", "signatory.linked", "member.edited", "member.deactivated", "branchAdmin.appointed"])

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() }, 60_000)
afterAll(() => app.close())

describe("dev profile workspace demo data", () => {
  it("张三's enterprise has 上海分公司, 李四 as agent and 王小明 as signatory, made through the use cases; seeding again adds nothing", async () => {
    const state = Effect.gen(function*() {
      const e = Option.getOrThrow(yield* EnterpriseRepository.use((r) => r.findByCreditCode("91110108MA01A2B3CF")))
      const repo = yield* MembershipRepository
      return {
        branches: (yield* repo.branches(e.id)).map((b) => b.name),
        members: (yield* repo.members(e.id)).map((m) => [m.name, m.mobile, m.member.roles.join(","), m.member.department, m.member.active]),
        // The workspace's own acts on the enterprise's chain (approval and seals add theirs).
        events: (yield* (yield* EvidenceStore).eventsOf(`enterprise:${e.id}`)).map((x) => x.type).filter((t) => WORKSPACE_EVENTS.has(t)),
      }
    })
    const first = await app.run(state)
    expect(first.branches).toEqual(["总公司", "上海分公司"])
    expect(first.members).toEqual([
      ["张三", "13800000001", "admin", null, true],
      ["李四", "13800000002", "agent", "销售部", true],
      ["王小明", "13800000003", "signatory", "总经办", true],
    ])
    expect(first.events).toEqual(["branch.created", "member.invited", "member.added", "member.invited", "signatory.linked"])
    await app.run(seedOrganizations)
    expect(await app.run(state)).toEqual(first)
  }, 60_000)
})
