import { generateKeyPairSync, randomBytes } from "node:crypto"
import { describe, expect, it } from "vitest"
import { Effect, Layer, ManagedRuntime } from "effect"
import * as pkijs from "pkijs"
import { currentCrl, idNumberHash, issueSigningCertificate, openSoftwareCa, openSoftwareCaIn, revoke } from "../../adapters/ca/index.ts"
import { openLogKey, openLogKeyIn } from "../../adapters/evidence-ed25519/index.ts"
import { SharedVault, spkiOf, within } from "../../adapters/keys-software/index.ts"
import { layerSqlite, migrated } from "../../adapters/sql/index.ts"
import { layerSqlVault } from "../../adapters/sql/vault.ts"
import { tempDir } from "../../fixtures/signing/validators.ts"
import { loadConfig } from "./config.ts"
import { importDataDir } from "./keyHomes.ts"

const run = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(e)

describe("moving a data dir's keys into the database", () => {
  it("the CA (keys, issued certificates, revocations) and the log key of an earlier deployment are the ones the database then holds; a second import changes nothing", async () => {
    const masterKey = new Uint8Array(randomBytes(32))
    const dataDir = tempDir("signet-keyhomes-")
    const before = await run(openSoftwareCa(`${dataDir}/ca`, masterKey))
    const cert = await run(issueSigningCertificate(before, { kind: "person", name: "张三" }, spkiOf(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey)))
    const serial = Buffer.from(pkijs.Certificate.fromBER(new Uint8Array(cert)).serialNumber.valueBlock.valueHexView).toString("hex")
    await run(revoke(before, serial))
    const logKey = openLogKey({ dir: `${dataDir}/evidence`, masterKey, name: "test/log" })

    const runtime = ManagedRuntime.make(Layer.provide(layerSqlVault, migrated(layerSqlite(":memory:"))))
    try {
      const vault = await runtime.runPromise(SharedVault.use((v) => Effect.succeed(v)))
      const config = loadConfig({ SIGNET_DATA_DIR: dataDir })
      await run(importDataDir(config, vault))
      const after = await run(openSoftwareCaIn(within(vault, "ca/"), masterKey))
      expect(after.rootDer).toEqual(before.rootDer)
      expect(await run(idNumberHash(after, "11010119900307123X"))).toBe(await run(idNumberHash(before, "11010119900307123X")))
      const crl = pkijs.CertificateRevocationList.fromBER(new Uint8Array((await run(currentCrl(after)))!))
      expect((crl.revokedCertificates ?? []).map((r) => Buffer.from(r.userCertificate.valueBlock.valueHexView).toString("hex"))).toEqual([serial])
      expect((await run(openLogKeyIn({ vault: within(vault, "evidence/"), masterKey, name: "test/log" }))).publicKey).toEqual(logKey.publicKey)
      const entries = (await run(vault.list(""))).length
      await run(importDataDir(config, vault))
      expect((await run(vault.list(""))).length).toBe(entries)
    } finally {
      await runtime.dispose()
    }
  })
})
