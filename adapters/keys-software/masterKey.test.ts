import { randomBytes } from "node:crypto"
import { readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ConfigProvider, Effect } from "effect"
import { describe, expect, it } from "vitest"
import { KeyStore } from "../../core/ports/KeyStore.ts"
import { tempDir } from "../../fixtures/signing/validators.ts"
import { devMasterKey, layer, masterKeyFromEnv } from "./index.ts"

describe("software key store master key", () => {
  it("dev profile: a random key made once in <data dir>/dev-secrets.json (mode 0600), other fields kept", () => {
    const dir = tempDir("signet-keys-")
    writeFileSync(join(dir, "dev-secrets.json"), JSON.stringify({ sessionSecret: "kept-as-is" }))
    const first = masterKeyFromEnv({ SIGNET_DATA_DIR: dir })
    expect(first).toMatchObject({ from: "dev-secrets", created: true, file: join(dir, "dev-secrets.json") })
    const file = JSON.parse(readFileSync(join(dir, "dev-secrets.json"), "utf8")) as Record<string, string>
    expect(file.sessionSecret).toBe("kept-as-is")
    expect(Buffer.from(file.masterKey ?? "", "base64")).toEqual(Buffer.from(first.key))
    expect(statSync(join(dir, "dev-secrets.json")).mode & 0o777).toBe(0o600)
    const again = masterKeyFromEnv({ SIGNET_DATA_DIR: dir })
    expect(again).toMatchObject({ created: false })
    expect(again.key).toEqual(first.key)
    // No fixed key: another data dir gets another key.
    expect(masterKeyFromEnv({ SIGNET_DATA_DIR: tempDir("signet-keys-") }).key).not.toEqual(first.key)
  })

  it("without create, a missing dev key is an error, not a fresh key", () => {
    expect(() => devMasterKey(tempDir("signet-keys-"), false)).toThrow(/no masterKey/)
  })

  it("SIGNET_MASTER_KEY wins; production refuses without it", () => {
    const key = randomBytes(32)
    expect(masterKeyFromEnv({ SIGNET_MASTER_KEY: key.toString("base64"), SIGNET_DATA_DIR: "/nonexistent" }).key).toEqual(new Uint8Array(key))
    expect(() => masterKeyFromEnv({ SIGNET_PROFILE: "production", SIGNET_DATA_DIR: tempDir("signet-keys-") })).toThrow(/requires SIGNET_MASTER_KEY/)
  })

  const withEnv = (env: Record<string, string>) =>
    Effect.gen(function* () {
      const store = yield* KeyStore
      return yield* store.generate("k", "EC-P256")
    }).pipe(Effect.provide(layer), Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnvRecord(env)))

  it("the KeyStore layer seals under the data dir's dev key, and refuses production without a key", async () => {
    const dir = tempDir("signet-keys-")
    const keyDir = join(dir, "keys")
    await Effect.runPromise(withEnv({ SIGNET_DATA_DIR: dir, SIGNET_KEY_DIR: keyDir }))
    const key = devMasterKey(dir, false).key
    expect(key).toHaveLength(32)
    const failure = await Effect.runPromise(Effect.flip(withEnv({ SIGNET_PROFILE: "production", SIGNET_DATA_DIR: dir })))
    expect(failure).toMatchObject({ _tag: "KeyStoreFailed" })
  })
})
