import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bootForTest, lastCode, logInAs } from "../../../fixtures/boot.ts"
import { fieldError } from "../../../fixtures/browser.ts"
import { demoEnterprise } from "../../../fixtures/organizations/webWorld.ts"
import { AutoSignRepository } from "../../../core/ports/AutoSignRepository.ts"
import { SealRepository } from "../../../core/ports/SealRepository.ts"
import { EvidenceStore } from "../../../core/ports/EvidenceStore.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
let demo: Awaited<ReturnType<typeof demoEnterprise>>
beforeAll(async () => {
  app = await bootForTest()
  demo = await demoEnterprise(app)
})
afterAll(() => app.close())

const base = () => `/org/${demo.enterpriseId}/seals/auto-sign`
const list = () => app.run(AutoSignRepository.use((r) => r.listOf(demo.enterpriseId)))
const chinaInput = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16)

describe("自动签署授权 pages (issue 20)", () => {
  it("the admin authorizes a seal with an SMS code (evidence recorded), sees it in the list and revokes it; a wrong code and another member are refused", async () => {
    const seal = (await app.run(SealRepository.use((r) => r.seals(demo.enterpriseId)))).find((s) => s.enabled)!
    const zhang = await logInAs(app, "13800000001", "Demo1234", base())
    const page = await zhang.get(base())
    expect([page.status, page.html.includes("新增授权")]).toEqual([200, true])
    const form = {
      sealId: seal.id, scopeKind: "counterparties", scopeValues: "李四\n王五",
      validFrom: chinaInput(Date.now() - 60_000), validUntil: chinaInput(Date.now() + 86400_000), maxCount: "20",
    }
    const empty = await zhang.post(base(), { ...form, maxCount: "" })
    expect([empty.status, fieldError(empty.html, "maxCount")]).toEqual([422, "最多签署份数须为 1-100000 的整数"])
    expect((await zhang.post(`${base()}/code`, form)).status).toBe(200)
    // The dev seed's authorization (apps/platform/seedAutoSign.ts) is there already; a wrong code adds nothing to it.
    const seeded = await list()
    const wrong = await zhang.post(base(), { ...form, code: "000000" === await lastCode(app, "13800000001") ? "111111" : "000000" })
    expect(wrong.status).toBe(422)
    expect(await list()).toEqual(seeded)
    const granted = await zhang.post(base(), { ...form, code: await lastCode(app, "13800000001") })
    expect(granted.status).toBe(303)
    const [a] = await list()
    expect([a?.scopeValues, a?.maxCount, a?.sealId]).toEqual([["李四", "王五"], 20, seal.id])
    const events = await app.run(EvidenceStore.use((e) => e.eventsOf(`seal:${seal.id}`)))
    expect(events.map((e) => e.type)).toContain("seal.auto_sign_authorized")
    expect((await zhang.get(granted.location!)).html).toContain("生效中")

    // Another member of the enterprise sees the list but may not authorize or revoke.
    const li = await logInAs(app, "13800000002", "Demo1234", base())
    expect((await li.get(base())).html).toContain("只有企业管理员可以设置或撤销自动签署授权")
    expect((await li.post(`${base()}/${a!.id}/revoke`, {})).status).toBe(403)
    expect((await list())[0]!.revokedAt).toBeNull()

    const revoked = await zhang.post(`${base()}/${a!.id}/revoke`, {})
    expect(revoked.status).toBe(303)
    expect((await list())[0]!.revokedAt).not.toBeNull()
    expect((await zhang.get(revoked.location!)).html).toContain("已撤销")
  }, 60_000)
})
