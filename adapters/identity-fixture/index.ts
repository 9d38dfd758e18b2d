import { Effect, Layer } from "effect"
import { IdentityVerifier } from "../../core/ports/IdentityVerifier.ts"
import { IdentityProviderUnavailable, IdentityRejected } from "../../core/verification/VerificationErrors.ts"

/**
 * Fictitious people the development provider knows (README.md in this folder
 * lists them). Every number passes the V6 checks; none belongs to anyone.
 */
export const fixtureIdentities = [
  { name: "张三", idNumber: "110101199003070011", bankCard: "6222020200112233446", mobile: "13800000001" },
  { name: "李四", idNumber: "310115198505120024", bankCard: "6217000000000000012", mobile: "13800000002" },
  { name: "王小明", idNumber: "440305199208150034", bankCard: "6225880000111122224", mobile: "13900000011" },
  { name: "赵敏", idNumber: "510107198802200044", bankCard: "6228480011223344554", mobile: "13900000012" },
  { name: "陈静", idNumber: "330106199511110051", bankCard: "6258000012345678901", mobile: "13900000013" },
] as const

/** This ID number makes the provider time out, to exercise the "try again later" path. */
export const FIXTURE_UNAVAILABLE_ID = "110108198001010066"

/**
 * The development identity provider: the table above passes; anything else
 * fails the way real providers answer. Rules, in order: unknown ID number ->
 * id-number-not-found; other name -> name-mismatch; other card ->
 * card-holder-mismatch; other mobile -> card-not-bound-to-mobile.
 */
export const layer = Layer.succeed(IdentityVerifier, {
  verify: (f) =>
    Effect.gen(function*() {
      if (f.idNumber === FIXTURE_UNAVAILABLE_ID) return yield* new IdentityProviderUnavailable({ detail: "fixture: timeout" })
      const person = fixtureIdentities.find((p) => p.idNumber === f.idNumber)
      if (person === undefined) return yield* new IdentityRejected({ reason: "id-number-not-found" })
      if (person.name !== f.name) return yield* new IdentityRejected({ reason: "name-mismatch" })
      if (person.bankCard !== f.bankCard) return yield* new IdentityRejected({ reason: "card-holder-mismatch" })
      if (person.mobile !== f.mobile) return yield* new IdentityRejected({ reason: "card-not-bound-to-mobile" })
      return { reference: `fixture-${f.idNumber.slice(-4)}` }
    }),
})
