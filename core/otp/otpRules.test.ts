import { describe, expect, it } from "vitest"
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { Result, Schema } from "effect"
import { arbBadPassword, arbMobile, arbPassword, arbSendHistory } from "../../fixtures/arbitraries.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { NewPassword } from "../kernel/Password.ts"
import { OtpPolicy } from "./Otp.ts"
import { checkSend, codeFromBytes } from "./otpRules.ts"

describe("A5 sending rules", () => {
  test.prop([arbSendHistory, fc.integer({ min: 0, max: 4 * 24 * 3600_000 })])(
    "a send is allowed exactly when none was in the last 60 s and fewer than 10 in the last 24 h",
    (sent, offset) => {
      const now = (sent.at(-1) ?? 0) + offset
      const inDay = sent.filter((t) => t > now - OtpPolicy.dayMs)
      const recent = sent.some((t) => t > now - OtpPolicy.resendIntervalMs)
      const r = checkSend(sent, now)
      expect(Result.isSuccess(r)).toBe(!recent && inDay.length < OtpPolicy.dailyLimit)
      if (Result.isFailure(r) && r.failure._tag === "OtpSendTooSoon") {
        expect(r.failure.retryAfterSeconds).toBeGreaterThan(0)
        expect(r.failure.retryAfterSeconds).toBeLessThanOrEqual(60)
      }
    },
  )

  test.prop([fc.uint8Array({ minLength: 4, maxLength: 4 })])("codes are six digits, or a redraw", (bytes) => {
    const code = codeFromBytes(bytes)
    if (code !== null) expect(code).toMatch(/^\d{6}$/)
  })

  it("only the top 0.03% of draws are redrawn (no modulo bias)", () => {
    expect(codeFromBytes(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toBeNull()
    expect(codeFromBytes(new Uint8Array([0, 0, 0, 0]))).toBe("000000")
    expect(codeFromBytes(new Uint8Array([0xff, 0xf0, 0x00, 0x00]))).not.toBeNull()
  })
})

describe("kernel value policies (A1)", () => {
  test.prop([arbMobile])("generated mobile numbers decode", (m) => {
    expect(Result.isSuccess(Schema.decodeUnknownResult(Mobile)(m))).toBe(true)
  })
  test.prop([arbMobile, fc.integer({ min: 0, max: 10 }), fc.constantFrom("", "0", "a", "-")])(
    "a changed length or a non-digit breaks a mobile number",
    (m, at, junk) => {
      const bad = junk === "" ? m.slice(0, at) : m.slice(0, at) + junk + m.slice(at + 1)
      if (bad !== m && (bad.length !== 11 || /\D/.test(bad))) expect(Result.isFailure(Schema.decodeUnknownResult(Mobile)(bad))).toBe(true)
    },
  )
  test.prop([arbPassword])("policy-conforming passwords decode", (p) => {
    expect(Result.isSuccess(Schema.decodeUnknownResult(NewPassword)(p))).toBe(true)
  })
  test.prop([arbBadPassword])("weak passwords are refused", ({ password }) => {
    expect(Result.isFailure(Schema.decodeUnknownResult(NewPassword)(password))).toBe(true)
  })
})
