import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Option } from "effect"
import { EvidenceStore } from "../../../core/ports/EvidenceStore.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"
import { StaffRepository, UserRepository } from "../../../core/ports/UserRepository.ts"
import { publish } from "../../../core/evidence/checkpoint.ts"
import { bootForTest } from "../../../fixtures/boot.ts"
import { TestBrowser } from "../../../fixtures/browser.ts"
import { applyForEnterprise, registerUser, staffBrowser, verifyPersonally } from "../../../fixtures/verification/portal.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() }, 30_000)
afterAll(() => app.close())

const count = (html: string, needle: string) => html.split(needle).length - 1

describe("evidence explorer (X3) and admin decisions as evidence (X4)", () => {
  it("staff find a contract's chain by number or by a log index: fields as commitments, links, proofs and the checkpoint", async () => {
    const zhang = Option.getOrThrow(await app.run(UserRepository.use((r) => r.findByMobile("13800000001"))))
    const { items } = await app.run(ContractRepository.use((r) => r.list({ mobile: zhang.mobile, userId: zhang.id, status: ["completed"], limit: 1, offset: 0 })))
    const contract = items[0]!
    await app.run(publish())
    const events = await app.run(EvidenceStore.use((s) => s.eventsOf(`contract:${contract.id}`)))
    const staff = await staffBrowser(app)

    const byNumber = await staff.get(`/evidence?q=${contract.id}`)
    expect(byNumber.status).toBe(200)
    expect(byNumber.html).toContain(`证据链 contract:${contract.id}`)
    expect(count(byNumber.html, 'data-check="linked">连续')).toBe(events.length)
    expect(count(byNumber.html, 'data-check="included">通过')).toBe(events.length)
    expect(byNumber.html).toContain(contract.documentSha256)
    expect(byNumber.html).toContain("— signet.local/evidence ")
    // Commitments, never openings: the actors' ids are committed to, not shown.
    const actor = JSON.parse(events[0]!.body).commit.actor as string
    expect(byNumber.html).toContain(`actor=${actor}`)
    expect(byNumber.html).not.toContain(zhang.id)

    const middle = events[Math.floor(events.length / 2)]!
    const byIndex = await staff.get(`/evidence?q=%23${middle.leafIndex}`)
    expect(byIndex.html).toContain(`证据链 contract:${contract.id}`)
    expect(byIndex.html).toContain(`id="leaf-${middle.leafIndex}" data-focus="true"`)

    expect((await staff.get("/evidence?q=1000000000000000009")).status).toBe(404)
    expect((await staff.get("/evidence?q=%2399999999")).status).toBe(404)
    expect((await staff.get("/evidence?q=drop%20table")).status).toBe(422)
  })

  it("a user's session never opens the explorer", async () => {
    const user = new TestBrowser(app.web)
    await user.get("/login")
    expect((await user.post("/login", { mobile: "13800000001", password: "Demo1234" })).status).toBe(303)
    const forged = new TestBrowser(app.admin)
    forged.cookies.set("signet_admin", user.cookies.get("signet_session")!)
    expect((await forged.get("/evidence?q=%230")).location).toBe("/login")
    expect((await new TestBrowser(app.admin).get("/evidence")).location).toBe("/login")
    // The portal has no explorer at all.
    expect((await user.get("/evidence?q=%230")).status).toBe(404)
  })

  it("rejecting and approving an enterprise are evidence events of the reviewer, in order; the enterprise's chain opens with its approval", async () => {
    const user = await registerUser(app, "13722220077")
    await verifyPersonally(app, user, { name: "王小明", idNumber: "440305199208150034", bankCard: "6225880000111122224", mobile: "13900000011" })
    const id = await applyForEnterprise(app, user, "91330106MA2J8K9L0W")
    const staff = await staffBrowser(app)
    const reviewer = Option.getOrThrow(await app.run(StaffRepository.use((r) => r.findByUsername("reviewer"))))
    const decisions = async () =>
      (await app.run(EvidenceStore.use((s) => s.eventsOf(`staff:${reviewer.id}`))))
        .filter((e) => e.type === "staff.decision").map((e) => JSON.parse(e.body).data as Record<string, unknown>)
    const before = (await decisions()).length

    await staff.get(`/verifications/${id}`)
    expect((await staff.post(`/verifications/${id}/reject`, { reason: "letter-not-stamped", note: "授权书缺少公章" })).status).toBe(303)
    expect((await decisions()).slice(before)).toEqual([{ action: "verification.rejected", verification: id, enterprise: null, reason: "letter-not-stamped" }])

    // Another applicant, approved.
    const other = await registerUser(app, "13722220078")
    await verifyPersonally(app, other, { name: "赵敏", idNumber: "510107198802200044", bankCard: "6228480011223344554", mobile: "13900000012" })
    const second = await applyForEnterprise(app, other, "91440300MA5F6G7H8B")
    await staff.get(`/verifications/${second}`)
    expect((await staff.post(`/verifications/${second}/approve`, {})).status).toBe(303)
    const approved = (await decisions()).slice(before)[1]!
    expect(approved).toMatchObject({ action: "verification.approved", verification: second, reason: null })
    const enterpriseEvents = await app.run(EvidenceStore.use((s) => s.eventsOf(`enterprise:${approved.enterprise as string}`)))
    expect(enterpriseEvents[0]?.type).toBe("enterprise.approved")
    // The note (free text, maybe personal) stays out of the log; the staff chain is in the explorer.
    const chain = await staff.get(`/evidence?q=staff:${reviewer.id}`)
    expect(chain.html).toContain("verification.approved")
    expect(chain.html).not.toContain("授权书缺少公章")
  })
})
