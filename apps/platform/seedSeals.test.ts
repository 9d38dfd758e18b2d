import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect } from "effect"
import { bootForTest } from "../../fixtures/boot.ts"
import { demoEnterprise } from "../../fixtures/organizations/webWorld.ts"
import { liveGrantees } from "../../core/seals/sealsModel.ts"
import { useSignature } from "../../core/seals/usage.ts"
import { SealRepository } from "../../core/ports/SealRepository.ts"
import { seedSeals } from "./seedSeals.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() })
afterAll(() => app.close())

describe("demo seals and signatures", () => {
  it("the demo enterprise gets a generated 合同专用章 for 李四 and 王小明's signature delegated to 李四, once", async () => {
    // The dev seed ran at boot (without the organizations seed, before 李四 and 王小明 were members: a seal, nobody authorized).
    const demo = await demoEnterprise(app)
    const state = () => app.run(Effect.gen(function*() {
      const repo = yield* SealRepository
      const seals = (yield* repo.seals(demo.enterpriseId)).filter((s) => s.type === "contract")
      return {
        seals: seals.map((s) => [s.name, s.source]),
        grantees: seals.length === 1 ? liveGrantees(yield* repo.grants(seals[0]!.id)) : [],
        delegations: (yield* repo.delegationsOf(demo.enterpriseId, demo.wang)).map((d) => [d.agentUserId, d.revokedAt]),
      }
    }))
    expect((await state()).seals).toEqual([["合同专用章", "generated"]])
    await app.run(seedSeals)
    await app.run(seedSeals)
    expect(await state()).toEqual({ seals: [["合同专用章", "generated"]], grantees: [demo.li], delegations: [[demo.li, null]] })
    const released = await app.run(useSignature(demo.li, demo.wang, demo.enterpriseId, { contractId: "1248849947504173056" }))
    expect(released.signatory.name).toBe("王小明")
  })
})
