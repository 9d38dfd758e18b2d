import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { exportBundle } from "../../core/evidence/exportBundle.ts"
import { allPassed, verifyBundle } from "../../core/evidence/verifyBundle.ts"
import { EvidenceStore } from "../../core/ports/EvidenceStore.ts"
import { StaffRepository, UserRepository } from "../../core/ports/UserRepository.ts"
import { layer as layerCrypto } from "../../adapters/crypto-node/index.ts"
import { webCryptoLayer } from "../../adapters/keys-software/index.ts"
import { bootForTest, lastCode } from "../../fixtures/boot.ts"
import { TestBrowser } from "../../fixtures/browser.ts"
import { Layer } from "effect"
import { BlobStore } from "../../core/ports/BlobStore.ts"
import { ContractRepository } from "../../core/ports/ContractRepository.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() })
afterAll(() => app.close())

const eventsOf = (subject: string) => app.run(EvidenceStore.use((s) => s.eventsOf(subject))).then((es) => es.map((e) => e.type))

describe("the apps record account evidence", () => {
  it("registering, logging in and a staff log-in each leave an event; the user's bundle verifies", async () => {
    const mobile = "13712340001"
    const b = new TestBrowser(app.web)
    await b.get("/register")
    await b.post("/register/code", { mobile }, { "hx-request": "true" })
    const done = await b.post("/register", { mobile, code: await lastCode(app, mobile), password: "abc12345", confirmPassword: "abc12345" }, { "user-agent": "SignetTest/1.0" })
    expect(done.status).toBe(303)
    const user = Option.getOrThrow(await app.run(UserRepository.use((r) => r.findByMobile(mobile))))
    expect(await eventsOf(`user:${user.id}`)).toEqual(["user.registered"])
    // The request's user agent reached the event as a commitment (in-process requests have no socket address).
    const [registered] = await app.run(EvidenceStore.use((s) => s.eventsOf(`user:${user.id}`)))
    const openings = await app.run(EvidenceStore.use((s) => s.openingsOf([registered!.id])))
    expect(openings.map((o) => [o.field, o.value])).toEqual([["actor", user.id], ["ua", "SignetTest/1.0"]])
    expect(registered!.body).not.toContain("SignetTest")

    const staff = new TestBrowser(app.admin)
    await staff.get("/login")
    expect((await staff.post("/login", { username: "reviewer", password: "Review1234" })).location).toBe("/")
    const reviewer = Option.getOrThrow(await app.run(StaffRepository.use((r) => r.findByUsername("reviewer"))))
    expect((await eventsOf(`staff:${reviewer.id}`)).at(-1)).toBe("staff.logged_in")

    const bundle = await app.run(exportBundle(`user:${user.id}`, { withOpenings: true }))
    const checks = await Effect.runPromise(verifyBundle(JSON.parse(JSON.stringify(bundle))).pipe(Effect.provide(Layer.mergeAll(layerCrypto, webCryptoLayer))))
    expect(checks.filter((c) => c.status === "fail")).toEqual([])
    expect(allPassed(checks)).toBe(true)
  })

  it("the dev seed puts the demo accounts in the log under a signed, timestamped checkpoint", async () => {
    const zhang = Option.getOrThrow(await app.run(UserRepository.use((r) => r.findByMobile("13800000001"))))
    const [registered] = await app.run(EvidenceStore.use((s) => s.eventsOf(`user:${zhang.id}`)))
    expect(registered?.type).toBe("user.registered")
    const checkpoint = Option.getOrThrow(await app.run(EvidenceStore.use((s) => s.latestCheckpoint)))
    expect(registered!.leafIndex).toBeLessThan(checkpoint.size)
    expect(checkpoint.timestamp).not.toBeNull()
  })

  it("a completed demo contract's bundle verifies with its signed PDF; one changed byte of the PDF is named", async () => {
    const zhang = Option.getOrThrow(await app.run(UserRepository.use((r) => r.findByMobile("13800000001"))))
    const { items } = await app.run(ContractRepository.use((r) => r.list({ mobile: zhang.mobile, userId: zhang.id, status: ["completed"], limit: 1, offset: 0 })))
    const contract = items[0]!
    const bundle = await app.run(exportBundle(`contract:${contract.id}`, { withOpenings: false }))
    expect(bundle.document?.sha256).toBe(contract.documentSha256)
    const pdf = Option.getOrThrow(await app.run(BlobStore.use((s) => s.get(contract.documentSha256))))
    const verify = (document: Uint8Array) =>
      Effect.runPromise(verifyBundle(JSON.parse(JSON.stringify(bundle)), { document }).pipe(Effect.provide(Layer.mergeAll(layerCrypto, webCryptoLayer))))
    const checks = await verify(pdf)
    expect(checks.filter((c) => c.status === "fail")).toEqual([])
    // Both digests of the signed PDF, SHA-256 and SM3, were recorded by the acts and match the file.
    expect(checks.filter((c) => c.name.startsWith("document")).map((c) => [c.name, c.status])).toEqual([["document hash", "pass"], ["document SM3", "pass"]])
    const altered = pdf.slice()
    altered[altered.length - 10]! ^= 1
    expect((await verify(altered)).filter((c) => c.status === "fail").map((c) => c.name)).toEqual(["document hash", "document SM3"])
  })
})
