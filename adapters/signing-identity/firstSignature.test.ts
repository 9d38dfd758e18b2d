/**
 * A person's first signature makes their key and certificate (issue 22): a process that dies between the two, or two
 * instances making them at once, must not lock the person out.
 */
import { randomBytes } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import { openCa } from "../ca/index.ts"
import { memoryVault } from "../keys-software/index.ts"
import { User } from "../../core/accounts/User.ts"
import type { UserId } from "../../core/kernel/Ids.ts"
import type { Mobile } from "../../core/kernel/Mobile.ts"
import { SigningIdentity } from "../../core/ports/SigningIdentity.ts"
import { layerSoftwareCa } from "./index.ts"

const masterKey = new Uint8Array(randomBytes(32))
const person = (id: string) => new User({ id: id as UserId, mobile: "13700000001" as Mobile, passwordHash: "-", name: "赵敏", email: null, createdAt: 1 })
const spkiOf = (der: Uint8Array) => new Uint8Array(pkijs.Certificate.fromBER(new Uint8Array(der)).subjectPublicKeyInfo.toSchema().toBER())
const identity = (vault: ReturnType<typeof memoryVault>) => Effect.provide(SigningIdentity.use(Effect.succeed), layerSoftwareCa(vault, masterKey))

describe("a person's first signing identity", () => {
  it.effect("a key left without its certificate (the process died in between) is certified on the next try", () =>
    Effect.gen(function*() {
      const vault = memoryVault()
      const ca = yield* openCa(vault, masterKey)
      const user = person("1100000000000000001")
      // The first attempt got as far as the key.
      const spki = yield* ca.store.generate(`user-${user.id}`, "EC-P256")
      const again = yield* (yield* identity(vault)).person(user)
      expect(spkiOf(again.signer.certificate)).toEqual(spki)
      // And it stays the same identity afterwards.
      expect((yield* (yield* identity(vault)).person(user)).signer.certificate).toEqual(again.signer.certificate)
    }))

  it.effect("two instances making the same first identity at once end with one key and one certificate", () =>
    Effect.gen(function*() {
      // Every vault call yields to the other fibers, as a database round trip would: the two first signatures interleave.
      const shared = memoryVault()
      const vault = {
        ...shared,
        get: (name: string) => Effect.andThen(Effect.yieldNow, shared.get(name)),
        create: (entries: Parameters<typeof shared.create>[0]) => Effect.andThen(Effect.yieldNow, shared.create(entries)),
      }
      const [a, b] = [yield* identity(vault), yield* identity(vault)]
      const user = person("1100000000000000002")
      const made = yield* Effect.all([a.person(user), b.person(user), a.person(user), b.person(user)], { concurrency: "unbounded" })
      expect(new Set(made.map((m) => Buffer.from(m.signer.certificate).toString("hex"))).size).toBe(1)
    }))
})
