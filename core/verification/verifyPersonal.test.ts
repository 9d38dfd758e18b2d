import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Option, Schema } from "effect"
import { TestClock } from "effect/testing"
import { lastCodeFor, TEST_EPOCH } from "../../fixtures/layers.ts"
import { layerVerificationTest } from "../../fixtures/verification/layers.ts"
import { syntheticPng } from "../../fixtures/verification/images.ts"
import { User } from "../accounts/User.ts"
import type { UserId } from "../kernel/Ids.ts"
import type { Mobile } from "../kernel/Mobile.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { PersonalVerificationInput } from "./PersonalVerification.ts"
import { storeUpload } from "./uploads.ts"
import { findPersonalVerification, sendPersonalVerificationCode, verifyPersonal } from "./verifyPersonal.ts"

const outcome = <A, E extends { readonly _tag: string }, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.match(eff, { onFailure: (e) => e._tag, onSuccess: () => "success" })

let n = 0
const newUser = Effect.gen(function*() {
  n += 1
  const user = new User({ id: `30000000000000000${String(n).padStart(2, "0")}` as UserId, mobile: `1370000000${n}` as Mobile, passwordHash: "h", name: null, email: "u@example.cn", createdAt: yield* Clock.currentTimeMillis })
  yield* (yield* UserRepository).insert(user)
  return user
})

/** 王小明 of the fixture provider's table (adapters/identity-fixture/README.md). */
const wang = { name: "王小明", idNumber: "440305199208150034", bankCard: "6225880000111122224", cardType: "credit", mobile: "13900000011" }

const attempt = (userId: UserId, fields: Partial<typeof wang> = {}) =>
  Effect.gen(function*() {
    const photo = yield* storeUpload(userId, "id-photo", syntheticPng(640, 400))
    const back = yield* storeUpload(userId, "id-photo", syntheticPng(640, 401))
    const f = { ...wang, ...fields }
    yield* sendPersonalVerificationCode(userId, f.mobile as Mobile)
    const code = yield* lastCodeFor(f.mobile)
    return yield* verifyPersonal(userId, Schema.decodeUnknownSync(PersonalVerificationInput)({ ...f, code, photoId: photo.id, backPhotoId: back.id }))
  })

describe("personal verification (V1)", () => {
  it.layer(layerVerificationTest)((it) => {
    it.effect("a fixture identity passes: verified, name taken into the profile, not repeated", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const user = yield* newUser
        const v = yield* attempt(user.id)
        expect([v.name, v.cardLast4, v.providerReference]).toEqual(["王小明", "2224", "fixture-0034"])
        expect(Option.getOrThrow(yield* (yield* UserRepository).findById(user.id)).name).toBe("王小明")
        yield* TestClock.adjust("2 minutes")
        expect(yield* outcome(sendPersonalVerificationCode(user.id, wang.mobile as Mobile))).toBe("AlreadyVerified")
      }))

    it.effect("failed four-factor checks name the reason and leave the user unverified", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH + 3_600_000)
        const user = yield* newUser
        const tries: Array<[Partial<typeof wang>, string]> = [
          [{ name: "王晓明" }, "IdentityRejected"],
          [{ mobile: "13900000012" }, "IdentityRejected"],
          [{ idNumber: "110108198001010066" }, "IdentityProviderUnavailable"],
        ]
        for (const [fields, expected] of tries) {
          yield* TestClock.adjust("2 minutes")
          const error = yield* Effect.flip(attempt(user.id, fields))
          expect(error._tag).toBe(expected)
          if (error._tag === "IdentityRejected") expect(error.reason).toBe(fields.name !== undefined ? "name-mismatch" : "card-not-bound-to-mobile")
        }
        expect(Option.isNone(yield* findPersonalVerification(user.id))).toBe(true)
        expect(Option.getOrThrow(yield* (yield* UserRepository).findById(user.id)).name).toBeNull()
      }))

    it.effect("a wrong SMS code, another user's photo, or a future birth date stop before the provider", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH + 7_200_000)
        const [me, other] = [yield* newUser, yield* newUser]
        const photo = yield* storeUpload(me.id, "id-photo", syntheticPng(640, 400))
        const theirs = yield* storeUpload(other.id, "id-photo", syntheticPng(641, 400))
        const back = yield* storeUpload(me.id, "id-photo", syntheticPng(642, 400))
        yield* sendPersonalVerificationCode(me.id, wang.mobile as Mobile)
        const code = yield* lastCodeFor(wang.mobile)
        const input = (o: Record<string, string>) => Schema.decodeUnknownSync(PersonalVerificationInput)({ ...wang, code, photoId: photo.id, backPhotoId: back.id, ...o })
        expect(yield* outcome(verifyPersonal(me.id, input({ code: code === "000000" ? "111111" : "000000" })))).toBe("OtpIncorrect")
        expect(yield* outcome(verifyPersonal(me.id, input({ photoId: theirs.id })))).toBe("NotFound")
        // Both sides of the ID card (正面, 反面): another user's back photo is not found; one photo for both sides is refused.
        expect(yield* outcome(verifyPersonal(me.id, input({ backPhotoId: theirs.id })))).toBe("NotFound")
        expect(yield* outcome(verifyPersonal(me.id, input({ backPhotoId: photo.id })))).toBe("IdPhotoSidesSame")
        expect(() => input({ backPhotoId: "" })).toThrow()
        // Born 2026-12-01, after the test clock's today (2026-11-23): check digit computed for that number.
        expect(yield* outcome(verifyPersonal(me.id, input({ idNumber: "110101202612010019" })))).toBe("IdNumberBirthInFuture")
        expect(Option.isNone(yield* findPersonalVerification(me.id))).toBe(true)
        expect(yield* outcome(verifyPersonal(me.id, input({})))).toBe("success")
        expect(Option.getOrThrow(yield* findPersonalVerification(me.id)).backPhotoUploadId).toBe(back.id)
      }))
  })
})
