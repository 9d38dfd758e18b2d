import { createHash, generateKeyPairSync, randomBytes } from "node:crypto"
import { readdirSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import { beforeAll, describe, expect, it } from "vitest"
import { spkiOf } from "../keys-software/index.ts"
import { tempDir } from "../../fixtures/signing/validators.ts"
import { issueSigningCertificate, openSoftwareCa, type SoftwareCa } from "./index.ts"
import { NAME_OID } from "./x509.ts"

const ID = "11010119900307123X"
const spki = spkiOf(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey)

const issuePerson = (ca: SoftwareCa, idNumber: string) =>
  Effect.runPromise(issueSigningCertificate(ca, { kind: "person", name: "张三", idNumber }, spki))

const serialNumberOf = (der: Uint8Array): string | undefined =>
  pkijs.Certificate.fromBER(new Uint8Array(der)).subject.typesAndValues.find((t) => t.type === NAME_OID.serialNumber)?.value.valueBlock.value

describe("software CA: person serialNumber", () => {
  const masterKey = new Uint8Array(randomBytes(32))
  const dirA = tempDir("signet-ca-a-")
  let a: SoftwareCa
  let b: SoftwareCa
  beforeAll(async () => {
    ;[a, b] = await Promise.all([
      Effect.runPromise(openSoftwareCa(dirA, masterKey)),
      Effect.runPromise(openSoftwareCa(tempDir("signet-ca-b-"), masterKey)),
    ])
  })

  it("is a keyed hash: same ID, same value under one CA (also after reopening); different under two CAs", async () => {
    const first = serialNumberOf(await issuePerson(a, ID))
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect(serialNumberOf(await issuePerson(a, ` ${ID.toLowerCase()} `))).toBe(first)
    const reopened = await Effect.runPromise(openSoftwareCa(dirA, masterKey))
    expect(serialNumberOf(await issuePerson(reopened, ID))).toBe(first)
    expect(serialNumberOf(await issuePerson(b, ID))).not.toBe(first)
    expect(serialNumberOf(await issuePerson(a, "110101199003071234"))).not.toBe(first)
    // Not the unkeyed hash anyone could compute by enumerating ID numbers.
    const unkeyed = createHash("sha256").update(`signet-id:${ID}`).digest("hex")
    expect(first?.slice(0, 40)).not.toBe(unkeyed.slice(0, 40))
  })

  it("never puts the ID number itself in the certificate DER", async () => {
    const der = Buffer.from(await issuePerson(a, ID))
    for (const form of [ID, ID.toLowerCase(), ID.slice(0, 17)]) {
      expect(der.includes(Buffer.from(form, "utf8"))).toBe(false)
      expect(der.includes(Buffer.from(form, "utf16le"))).toBe(false)
      expect(der.includes(Buffer.from(form, "utf16le").swap16())).toBe(false)
    }
  })

  it("keeps the HMAC key sealed: the file does not hold it and another master key cannot open the CA", async () => {
    const key = await Effect.runPromise(a.store.secret("id-number-hmac"))
    expect(key).toHaveLength(32)
    const file = readFileSync(join(dirA, "keys", "id-number-hmac.key.json"), "utf8")
    expect(file).not.toContain(Buffer.from(key ?? []).toString("base64"))
    expect(file).not.toContain(Buffer.from(key ?? []).toString("hex"))
    const wrong = await Effect.runPromise(Effect.flip(openSoftwareCa(dirA, new Uint8Array(randomBytes(32)))))
    expect(String((wrong as { reason?: string }).reason)).toMatch(/cannot unseal id-number-hmac/)
  })

  it("a CA from before keyed serials gets its key on open; the store never overwrites a secret", async () => {
    const dir = tempDir("signet-ca-old-")
    const old = await Effect.runPromise(openSoftwareCa(dir, masterKey))
    rmSync(join(dir, "keys", "id-number-hmac.key.json"))
    const upgraded = await Effect.runPromise(openSoftwareCa(dir, masterKey))
    const key = await Effect.runPromise(upgraded.store.secret("id-number-hmac"))
    expect(key).toHaveLength(32)
    const again = await Effect.runPromise(Effect.flip(old.store.generateSecret("id-number-hmac", 32)))
    expect(again.reason).toMatch(/already exists/)
    expect(await Effect.runPromise(old.store.secret("id-number-hmac"))).toEqual(key)
    expect(readdirSync(join(dir, "keys")).filter((f) => f.endsWith(".tmp"))).toEqual([])
  })
})
