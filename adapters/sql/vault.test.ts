import { generateKeyPairSync, randomBytes } from "node:crypto"
import { afterAll, describe, expect, it } from "vitest"
import { Effect, Layer, ManagedRuntime } from "effect"
import * as pkijs from "pkijs"
import { tempDir } from "../../fixtures/signing/validators.ts"
import { postgresUrl } from "../../fixtures/postgres.ts"
import { currentCrl, issueSigningCertificate, openSoftwareCaIn, revoke } from "../ca/index.ts"
import { openLogKeyIn } from "../evidence-ed25519/index.ts"
import { directoryVault, memoryVault, SharedVault, spkiOf, within, type Vault } from "../keys-software/index.ts"
import type { Database } from "./Database.ts"
import { dropSchema, layerPostgres, layerSqlite, migrated } from "./index.ts"
import { layerSqlVault } from "./vault.ts"

const bytes = (s: string) => new TextEncoder().encode(s)
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b))
const run = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(e)
const masterKey = new Uint8Array(randomBytes(32))

/** A vault handle on `database`, with its own runtime (on Postgres its own pool: another instance). */
const sqlVault = async (database: Layer.Layer<Database, unknown>) => {
  const runtime = ManagedRuntime.make(Layer.provide(layerSqlVault, database))
  const vault = await runtime.runPromise(SharedVault.use((v) => Effect.succeed(v)))
  return { vault, close: () => runtime.dispose() }
}

/** `handles()` gives three handles on one fresh vault (three instances where the backend allows). */
const backends: Array<{ name: string; handles: () => Promise<{ all: Array<Vault>; close: () => Promise<void> }> }> = [
  { name: "memory", handles: async () => { const v = memoryVault(); return { all: [v, v, v], close: async () => {} } } },
  { name: "directory", handles: async () => { const dir = tempDir("signet-vault-"); return { all: [0, 1, 2].map(() => directoryVault(dir)), close: async () => {} } } },
  { name: "SQLite", handles: async () => { const h = await sqlVault(migrated(layerSqlite(":memory:"))); return { all: [h.vault, h.vault, h.vault], close: h.close } } },
]
const url = postgresUrl("vault on Postgres")
if (url !== null) {
  const schemas: Array<string> = []
  backends.push({
    name: "Postgres, three pools",
    handles: async () => {
      const schema = `t_vault_${randomBytes(5).toString("hex")}`
      schemas.push(schema)
      const first = await sqlVault(migrated(layerPostgres(url, schema)))
      const others = await Promise.all([0, 1].map(() => sqlVault(layerPostgres(url, schema))))
      return { all: [first.vault, ...others.map((o) => o.vault)], close: async () => { await Promise.all([first, ...others].map((h) => h.close())) } }
    },
  })
  afterAll(() => Promise.all(schemas.map((s) => run(dropSchema(url, s)))))
}

describe.each(backends)("vault: $name", ({ handles }) => {
  it("create stores all entries or none: the first name is the claim; replace overwrites; list by prefix", async () => {
    const { all: [v], close } = await handles()
    try {
      expect(await run(v!.create([["a/claim", bytes("1")], ["a/rest", bytes("2")]]))).toBe(true)
      expect(await run(v!.create([["a/claim", bytes("x")], ["a/other", bytes("y")]]))).toBe(false)
      expect([text(await run(v!.get("a/claim"))), text(await run(v!.get("a/rest"))), await run(v!.get("a/other"))]).toEqual(["1", "2", undefined])
      await run(v!.replace("a/derived", bytes("old")))
      await run(v!.replace("a/derived", bytes("new")))
      expect((await run(v!.list("a/"))).map(([n, d]) => [n, text(d)])).toEqual([["a/claim", "1"], ["a/derived", "new"], ["a/rest", "2"]])
      expect((await run(within(v!, "a/").list("re"))).map(([n]) => n)).toEqual(["rest"])
      await expect(run(v!.get("../etc/passwd"))).rejects.toMatchObject({ reason: expect.stringMatching(/invalid vault name/) })
    } finally {
      await close()
    }
  })

  it("instances creating the same entry at once: exactly one wins, every one reads the winner's", async () => {
    const { all, close } = await handles()
    try {
      const results = await Promise.all(all.flatMap((v, i) => [0, 1].map((j) => run(v.create([["claim", bytes(`${i}.${j}`)], [`rest-${i}.${j}`, bytes(`${i}.${j}`)]])))))
      expect(results.filter((r) => r)).toHaveLength(1)
      const winner = text(await run(all[2]!.get("claim")))!
      expect(text(await run(all[0]!.get(`rest-${winner}`)))).toBe(winner)
      expect((await run(all[1]!.list("rest-"))).map(([n]) => n)).toEqual([`rest-${winner}`])
    } finally {
      await close()
    }
  })

  it("a CA and a log key opened by three instances at once on a fresh vault: one root, one log key, revocations from two instances both in the CRL", async () => {
    const { all, close } = await handles()
    try {
      const cas = await Promise.all(all.map((v) => run(openSoftwareCaIn(within(v, "ca/"), masterKey))))
      expect(new Set(cas.map((ca) => Buffer.from(ca.rootDer).toString("hex"))).size).toBe(1)
      const keys = await Promise.all(all.map((v) => run(openLogKeyIn({ vault: within(v, "evidence/"), masterKey, name: "test/log" }))))
      expect(new Set(keys.map((k) => Buffer.from(k.publicKey).toString("hex"))).size).toBe(1)
      // A certificate issued by one instance chains to the root every instance trusts.
      const spki = spkiOf(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey)
      const certs = await Promise.all(cas.map((ca, i) => run(issueSigningCertificate(ca, { kind: "person", name: `张${i}` }, spki))))
      const serials = certs.map((der) => Buffer.from(pkijs.Certificate.fromBER(new Uint8Array(der)).serialNumber.valueBlock.valueHexView).toString("hex"))
      for (const der of certs) expect(pkijs.Certificate.fromBER(new Uint8Array(der)).issuer.isEqual(cas[0]!.issuing.subject)).toBe(true)
      await Promise.all([run(revoke(cas[0]!, serials[0]!)), run(revoke(cas[1]!, serials[1]!))])
      await run(revoke(cas[2]!, serials[2]!))
      const crl = pkijs.CertificateRevocationList.fromBER(new Uint8Array((await run(currentCrl(cas[0]!)))!))
      expect(new Set((crl.revokedCertificates ?? []).map((r) => Buffer.from(r.userCertificate.valueBlock.valueHexView).toString("hex")))).toEqual(new Set(serials))
      // Another master key cannot open the CA it did not make.
      await expect(run(openSoftwareCaIn(within(all[0]!, "ca/"), new Uint8Array(randomBytes(32))))).rejects.toMatchObject({ reason: expect.stringMatching(/cannot unseal/) })
    } finally {
      await close()
    }
  }, 60_000)
})
