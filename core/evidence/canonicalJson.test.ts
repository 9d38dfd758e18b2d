import { describe, expect, it } from "vitest"
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { Result } from "effect"
import { canonicalize, isCanonical } from "./canonicalJson.ts"

const canon = (v: unknown) => Result.getOrThrow(canonicalize(v))

describe("RFC 8785 canonical JSON", () => {
  it("sorts keys by UTF-16 code units, drops whitespace, writes numbers as ECMAScript does", () => {
    // RFC 8785 section 3.2.3's sorting example: code-unit order, not code-point or locale order.
    const input = { "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis" }
    expect(canon(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    )
    expect(canon({ b: [1e21, 1e-7, -0, 0.1, 333333333.3333333], a: { z: null, y: true } })).toBe(
      '{"a":{"y":true,"z":null},"b":[1e+21,1e-7,0,0.1,333333333.3333333]}',
    )
    expect(canon({ s: "\u2028\"\\\n\u0001é" })).toBe('{"s":"\u2028\\"\\\\\\n\\u0001é"}')
    expect(canon({ a: undefined, b: 1 })).toBe('{"b":1}')
  })

  it("refuses what JSON cannot carry", () => {
    expect(Result.isFailure(canonicalize({ n: Number.NaN }))).toBe(true)
    expect(Result.isFailure(canonicalize({ n: Infinity }))).toBe(true)
    expect(Result.isFailure(canonicalize({ d: new Date(0) }))).toBe(true)
    expect(Result.isFailure(canonicalize([() => 1]))).toBe(true)
  })

  test.prop([fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)) }))])(
    "strings and keys are written exactly as JSON.stringify writes them (plain ASCII fast path included)",
    (s) => {
      expect(canon(s)).toBe(JSON.stringify(s))
      expect(canon({ [s]: s })).toBe(`{${JSON.stringify(s)}:${JSON.stringify(s)}}`)
    },
  )

  test.prop([fc.jsonValue()])("canonical text is a fixed point and survives a parse; a reordered or spaced text is not canonical", (v) => {
    const text = canon(v)
    expect(canon(JSON.parse(text))).toBe(text)
    expect(isCanonical(text)).toBe(true)
    expect(isCanonical(` ${text}`)).toBe(false)
  })
})
