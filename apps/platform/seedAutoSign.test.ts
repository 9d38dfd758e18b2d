import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect } from "effect"
import { AutoSignRepository } from "../../core/ports/AutoSignRepository.ts"
import { ContractRepository } from "../../core/ports/ContractRepository.ts"
import { EvidenceStore } from "../../core/ports/EvidenceStore.ts"
import { SealRepository } from "../../core/ports/SealRepository.ts"
import { bootForTest } from "../../fixtures/boot.ts"
import { demoEnterprise } from "../api/fixtures.ts"
import { DEMO_AUTO_SIGN_CONTRACT, DEMO_AUTO_SIGN_COUNTERPARTY, seedAutoSign } from "./seedAutoSign.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() }, 60_000)
afterAll(() => app.close())

describe("demo auto-signing (issue 20)", () => {
  it("the demo enterprise holds an auto-sign authorization and a contract it signed through it; a second run adds nothing", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const state = () => app.run(Effect.gen(function*() {
      const authorizations = yield* AutoSignRepository.use((r) => r.listOf(enterprise.id))
      const page = yield* ContractRepository.use((r) => r.list({ mobile: admin.mobile, userId: admin.id, search: DEMO_AUTO_SIGN_CONTRACT, limit: 10, offset: 0 }))
      return { authorizations, contracts: page.items.filter((c) => c.name === DEMO_AUTO_SIGN_CONTRACT) }
    }))
    const seeded = await state()
    expect(seeded.authorizations.map((a) => [a.scopeValues, a.usedCount, a.revokedAt])).toEqual([[[DEMO_AUTO_SIGN_COUNTERPARTY.name], 1, null]])
    expect(seeded.contracts.map((c) => c.parties.map((p) => p.status))).toEqual([["signed", "waiting"]])
    const contract = seeded.contracts[0]!
    const events = await app.run(EvidenceStore.use((e) => e.eventsOf(`contract:${contract.id}`)))
    const signed = JSON.parse(events.find((e) => e.type === "contract.signed")!.body)
    expect(signed.data).toMatchObject({ autoSignAuthorization: seeded.authorizations[0]!.id, party: 0 })
    expect(signed.data.apiKeyId).toMatch(/^ak_/)
    const usages = await app.run(SealRepository.use((r) => r.usagesOfSeal(enterprise.id, seeded.authorizations[0]!.sealId, 100)))
    expect(usages.filter((u) => u.contractId === contract.id).map((u) => u.autoSignId)).toEqual([seeded.authorizations[0]!.id])
    await app.run(seedAutoSign)
    const again = await state()
    expect([again.authorizations.length, again.contracts.length]).toEqual([1, 1])
  }, 60_000)
})
