import { describe, expect, it } from "vitest"
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { Result, Schema } from "effect"
import { arbBankCard, arbCreditCode, arbOneCharChange, arbResidentId } from "../../fixtures/verification/arbitraries.ts"
import { bankCardProblem, BankCardNumber } from "./BankCard.ts"
import { creditCodeProblem, CreditCode } from "../kernel/CreditCode.ts"
import { bornAfter, residentIdProblem, ResidentIdNumber } from "./ResidentIdNumber.ts"

const changed = <T>(arb: fc.Arbitrary<string>) => arb.chain((valid) => arbOneCharChange(valid).map((mutant) => ({ valid, mutant }))) as fc.Arbitrary<T>

describe("V6 resident ID number (GB 11643)", () => {
  test.prop([arbResidentId])("generated valid numbers pass", (id) => {
    expect(residentIdProblem(id)).toBeNull()
    expect(Result.isSuccess(Schema.decodeUnknownResult(ResidentIdNumber)(id))).toBe(true)
  })
  test.prop([changed<{ valid: string; mutant: string }>(arbResidentId)])("any single-character change fails", ({ mutant }) => {
    expect(residentIdProblem(mutant)).not.toBeNull()
  })
  it("accepts published examples and names the problem", () => {
    // The example number of GB 11643-1999 itself and a well-known X-terminated one.
    expect(residentIdProblem("11010519491231002X")).toBeNull()
    // Born 1880 in the standard's other example: checksum fine, but no living applicant is that old.
    expect(residentIdProblem("440524188001010014")).toBe("idNumber.birthDate")
    expect(residentIdProblem("110105194912310021")).toBe("idNumber.checkDigit")
    expect(residentIdProblem("11010519491231002x")).toBe("idNumber.format")
    expect(residentIdProblem("11010519490231002X")).toBe("idNumber.birthDate")
    expect(residentIdProblem("1101051949123100")).toBe("idNumber.format")
  })
  it("a birth date after today is caught with the clock's date (China time)", () => {
    const id = "110105202611240010"
    const now = Date.parse("2026-11-23T10:00:00+08:00")
    expect(bornAfter(id, now)).toBe(true)
    expect(bornAfter(id, Date.parse("2026-11-24T00:30:00+08:00"))).toBe(false)
  })
})

describe("V6 unified social credit code (GB 32100)", () => {
  test.prop([arbCreditCode])("generated valid codes pass", (code) => {
    expect(creditCodeProblem(code)).toBeNull()
    expect(Result.isSuccess(Schema.decodeUnknownResult(CreditCode)(code))).toBe(true)
  })
  test.prop([changed<{ valid: string; mutant: string }>(arbCreditCode)])("any single-character change fails", ({ mutant }) => {
    expect(creditCodeProblem(mutant)).not.toBeNull()
  })
  it("accepts a published code and refuses letters outside the alphabet", () => {
    expect(creditCodeProblem("91350100M000100Y43")).toBeNull()
    expect(creditCodeProblem("91350100M000100Y44")).toBe("creditCode.checkDigit")
    expect(creditCodeProblem("91350100M000100O43")).toBe("creditCode.format")
  })
})

describe("V6 bank card number (Luhn)", () => {
  test.prop([arbBankCard])("generated valid numbers pass", (card) => {
    expect(bankCardProblem(card)).toBeNull()
    expect(Result.isSuccess(Schema.decodeUnknownResult(BankCardNumber)(card))).toBe(true)
  })
  test.prop([changed<{ valid: string; mutant: string }>(arbBankCard)])("any single-character change fails", ({ mutant }) => {
    expect(bankCardProblem(mutant)).not.toBeNull()
  })
  it("knows the classic Luhn example and the length limits", () => {
    expect(bankCardProblem("79927398713")).toBe("bankCard.format")
    expect(bankCardProblem("4111111111111111")).toBeNull()
    expect(bankCardProblem("4111111111111112")).toBe("bankCard.checkDigit")
    expect(bankCardProblem("41111111111111111111")).toBe("bankCard.format")
  })
})
