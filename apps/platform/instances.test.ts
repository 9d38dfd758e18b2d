import { execFileSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Clock, Effect, Layer, ManagedRuntime, Option } from "effect"
import { layer as layerCrypto } from "../../adapters/crypto-node/index.ts"
import { webCryptoLayer } from "../../adapters/keys-software/index.ts"
import { Database } from "../../adapters/sql/index.ts"
import { expireDueContracts } from "../../core/contracts/contractActs.ts"
import { SignField } from "../../core/contracts/Contract.ts"
import { createContract, sendContract } from "../../core/contracts/createContract.ts"
import { requestSigningCode, signContract } from "../../core/contracts/signContract.ts"
import { logVerifierKey } from "../../core/evidence/checkpoint.ts"
import { exportBundle } from "../../core/evidence/exportBundle.ts"
import { allPassed, verifyBundle } from "../../core/evidence/verifyBundle.ts"
import type { User } from "../../core/accounts/User.ts"
import type { NumericId } from "../../core/kernel/Ids.ts"
import { BlobStore } from "../../core/ports/BlobStore.ts"
import { ContractRepository } from "../../core/ports/ContractRepository.ts"
import { EvidenceStore } from "../../core/ports/EvidenceStore.ts"
import { TrustList } from "../../core/ports/TrustList.ts"
import { bootForTest, createUser, createVerifiedUser, lastCode, logInAs } from "../../fixtures/boot.ts"
import { classicPdf } from "../../fixtures/pdfs/generate.ts"
import { postgresUrl } from "../../fixtures/postgres.ts"
import { loadConfig } from "./config.ts"
import { layerApp } from "./layers.ts"
import { resolveSecrets } from "./secrets.ts"

/**
 * Issue 22, shared state: two instances on one Postgres, each with its own
 * SIGNET_DATA_DIR, sharing only DATABASE_URL and the secrets (README "Running
 * several instances"). Booted one after the other: the dev seed that runs at
 * each boot is not made for two at once (production does not seed). The race
 * of instances making the CA and the log key on an empty database together is
 * adapters/sql/vault.test.ts (three pools on one Postgres).
 */
const url = postgresUrl("two instances on one Postgres")
describe.skipIf(url === null)("two instances on one Postgres, separate data directories", () => {
  const database = `signet_instances_${randomBytes(5).toString("hex")}`
  const psql = (sql: string) => execFileSync("psql", [url!, "-tAc", sql], { stdio: "pipe" })
  const env = {
    DATABASE_URL: url!.replace(/\/[^/?]+(\?|$)/, `/${database}$1`),
    SIGNET_MASTER_KEY: randomBytes(32).toString("base64"),
    SIGNET_SESSION_SECRET: randomBytes(32).toString("base64url"),
  }
  let a: Awaited<ReturnType<typeof bootForTest>>
  let b: Awaited<ReturnType<typeof bootForTest>>
  beforeAll(async () => {
    psql(`create database ${database}`)
    a = await bootForTest(env)
    b = await bootForTest(env)
  }, 120_000)
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()])
    psql(`drop database if exists ${database} with (force)`)
  })

  const contractFor = (initiator: User, parties: ReadonlyArray<User>, name: string) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const c = yield* createContract(initiator, {
        name, pdf: yield* Effect.promise(() => classicPdf(2, "Shared state")), mode: "simultaneous", deadline: now + 3 * 24 * 3600_000,
        parties: parties.map((p) => ({ name: p.name!, mobile: p.mobile })),
        fields: parties.map((_, i) => new SignField({ partyIndex: i, page: 2, x: 60 + i * 170, y: 80, width: 150, height: 60, kind: "signature" })),
      })
      return yield* sendContract(initiator, c.id)
    })

  it("keeps nothing in the data directories but what each instance was given; one root CA and one log key for both", async () => {
    const [rootA, rootB] = await Promise.all([a, b].map((app) => app.run(TrustList.use((t) => Effect.succeed(t.roots)))))
    expect(rootB).toEqual(rootA)
    expect(await b.run(logVerifierKey)).toBe(await a.run(logVerifierKey))
    const { readdirSync } = await import("node:fs")
    // No blobs, CA or log key on disk: the dev-profile stand-ins only (mail outbox, SoftHSM tokens, the file anchor).
    for (const app of [a, b]) expect(readdirSync(app.dataDir).filter((f) => ["blobs", "ca", "signet.db", "dev-secrets.json"].includes(f))).toEqual([])
  })

  it("a contract created on one instance is signed on the other by three parties at once; its bundle verifies on both with the one log key", async () => {
    const [initiator, p1, p2, p3] = await Promise.all([
      createVerifiedUser(a, "13900000101", "周一"), createUser(a, "13900000102", "吴二"), createUser(a, "13900000103", "郑三"), createUser(a, "13900000104", "王四"),
    ])
    const parties = [p1!, p2!, p3!]
    const contract = await a.run(contractFor(initiator!, parties, "跨实例合同"))
    // The other instance shows it (it was 404 there when each instance kept its own files).
    const browser = await logInAs(b, p1!.mobile)
    expect((await browser.get(`/contracts/${contract.id}`)).status).toBe(200)
    expect((await browser.get(`/contracts/${contract.id}/document`)).status).toBe(200)

    const codes: Array<string> = []
    for (const p of parties) {
      await b.run(requestSigningCode(p, contract.id))
      codes.push(await lastCode(b, p.mobile))
    }
    const results = await Promise.all(parties.map((p, i) => b.run(signContract(p, contract.id, codes[i]!))))
    const final = results.reduce((x, y) => (x.revision > y.revision ? x : y))
    expect([final.status, final.documentVersion]).toEqual(["completed", 3])

    // Instance A reads the document instance B signed, and each instance's bundle verifies against the log key.
    const pdf = Option.getOrThrow(await a.run(BlobStore.use((s) => s.get(final.documentSha256))))
    const logKey = await a.run(logVerifierKey)
    for (const app of [a, b]) {
      const bundle = await app.run(exportBundle(`contract:${contract.id}`, { withOpenings: false }))
      const checks = await Effect.runPromise(verifyBundle(JSON.parse(JSON.stringify(bundle)), { logKey, document: pdf }).pipe(Effect.provide(Layer.mergeAll(layerCrypto, webCryptoLayer))))
      expect(checks.filter((c) => c.status === "fail")).toEqual([])
      expect(allPassed(checks)).toBe(true)
    }
    const events = await a.run(EvidenceStore.use((s) => s.eventsOf(`contract:${contract.id}`)))
    expect(events.filter((e) => e.type === "contract.signed")).toHaveLength(3)
  }, 120_000)

  it("an instance started with another master key stops: it cannot unseal the shared keys", async () => {
    const config = loadConfig({ ...env, SIGNET_MASTER_KEY: randomBytes(32).toString("base64"), SIGNET_DATA_DIR: a.dataDir })
    const runtime = ManagedRuntime.make(layerApp(config, resolveSecrets(config), "wrong-key"))
    try {
      const failure = await runtime.runPromise(Effect.void).then(() => "started", (e: unknown) => e)
      expect(JSON.stringify(failure) + String(failure)).toMatch(/cannot unseal/)
    } finally {
      await runtime.dispose()
    }
  }, 60_000)

  it("the expiry sweep run on both instances at once expires each due contract once", async () => {
    const [initiator, party] = await Promise.all([createVerifiedUser(a, "13900000201", "冯五"), createUser(a, "13900000202", "陈六")])
    const ids: Array<NumericId> = []
    for (let i = 0; i < 6; i++) ids.push((await a.run(contractFor(initiator!, [party!], `到期合同${i}`))).id)
    // Their deadline passes.
    await a.run(Effect.gen(function*() {
      const { db } = yield* Database
      yield* Effect.promise(() => db.updateTable("contracts").set({ deadline: Date.now() - 1000 }).where("id", "in", ids).execute())
    }))
    const [byA, byB] = await Promise.all([a.run(expireDueContracts()), b.run(expireDueContracts())])
    expect(byA + byB).toBe(ids.length)
    for (const id of ids) {
      const contract = Option.getOrThrow(await b.run(ContractRepository.use((r) => r.find(id))))
      expect(contract.status).toBe("expired")
      const events = await a.run(EvidenceStore.use((s) => s.eventsOf(`contract:${id}`)))
      expect(events.filter((e) => e.type === "contract.expired")).toHaveLength(1)
    }
  }, 120_000)
})
