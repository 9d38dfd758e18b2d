import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Schema } from "effect"
import { TestClock } from "effect/testing"
import { layerEvidenceStore } from "../../adapters/sql/evidence.ts"
import { layerTreeStore } from "../../adapters/sql/evidenceTree.ts"
import { layerAccountsOn, lastCodeFor, layerSqliteMemory, TEST_EPOCH } from "../../fixtures/layers.ts"
import { changePassword } from "../accounts/changePassword.ts"
import { logIn } from "../accounts/logIn.ts"
import { registerUser, sendRegistrationCode } from "../accounts/registerUser.ts"
import { RepositoryError } from "../kernel/errors.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { NewPassword } from "../kernel/Password.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { CurrentClient, EvidenceRecorder } from "./EvidenceRecorder.ts"
import { EventBody } from "./Event.ts"

const accounts = layerAccountsOn(layerSqliteMemory)
const recorded = EvidenceRecorder.layer.pipe(Layer.provideMerge(Layer.mergeAll(layerEvidenceStore, layerTreeStore)), Layer.provideMerge(accounts))

const mobile = (n: number) => Schema.decodeSync(Mobile)(`1390000000${n}`)
const password = Schema.decodeSync(NewPassword)("abc12345")

const register = (n: number) =>
  Effect.gen(function*() {
    yield* sendRegistrationCode(mobile(n))
    return yield* registerUser({ mobile: mobile(n), code: yield* lastCodeFor(mobile(n)), password })
  })

describe("account events are recorded with the change they record", () => {
  it.layer(recorded)((it) => {
    it.effect("register, log in, change password: one chain per user, client data only as commitments", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const user = yield* register(1).pipe(Effect.provideService(CurrentClient, { ip: "203.0.113.9", userAgent: "Safari" }))
        const { token } = yield* logIn(mobile(1), "abc12345")
        yield* changePassword({ userId: user.id, currentSessionToken: token, oldPassword: "abc12345", newPassword: Schema.decodeSync(NewPassword)("xyz98765") })
        const events = yield* (yield* EvidenceStore).eventsOf(`user:${user.id}`)
        expect(events.map((e) => e.type)).toEqual(["user.registered", "user.logged_in", "user.password_changed"])
        const bodies = events.map((e) => Schema.decodeUnknownSync(EventBody)(JSON.parse(e.body)))
        expect(Object.keys(bodies[0]!.commit).sort()).toEqual(["actor", "ip", "ua"])
        expect(events[0]!.body).not.toContain("203.0.113.9")
        expect(bodies[2]!.data).toEqual({ otherSessionsEnded: 0 })
        expect(bodies[2]!.prev).toBe(events[1]!.hash)
      }))
  })

  const failing = EvidenceRecorder.layer.pipe(
    Layer.provideMerge(Layer.mergeAll(
      Layer.effect(EvidenceStore, Effect.map(Effect.service(EvidenceStore), (s) => ({
        ...s,
        insertEvents: () => Effect.fail(new RepositoryError({ operation: "evidence.insertEvents", cause: "disk full" })),
      }))).pipe(Layer.provide(layerEvidenceStore)),
      layerTreeStore,
    )),
    Layer.provideMerge(accounts),
  )
  it.layer(failing)((it) => {
    it.effect("no event, no account: a registration whose event cannot be written is rolled back", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const error = yield* Effect.flip(register(2))
        expect(error._tag === "RepositoryError" && error.operation).toBe("evidence.insertEvents")
        expect(Option.isNone(yield* (yield* UserRepository).findByMobile(mobile(2)))).toBe(true)
      }))
  })
})
