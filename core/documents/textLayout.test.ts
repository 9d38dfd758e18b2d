import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { NO_LINE_END, NO_LINE_START, wrapText } from "./textLayout.ts"

/** A font whose advance is 10 per CJK character and 6 per other character, counting how often it is asked. */
const countingFont = () => {
  const calls = { count: 0, chars: 0 }
  const font = {
    widthOfTextAtSize: (text: string, size: number) => {
      calls.count += 1
      calls.chars += text.length
      let w = 0
      for (const ch of text) w += (ch.codePointAt(0)! > 0x2e80 ? 10 : 6) * size / 10
      return w
    },
  }
  return { font, calls }
}

const cjk = fc.constantFrom(..."甲乙双方本合同约定付款期限违约责任，。、；：？！（）《》“”")
const latin = fc.constantFrom(..."abcXYZ019 -./")
const text = fc.array(fc.oneof(cjk, latin), { maxLength: 400 }).map((cs) => cs.join(""))
const CLOSERS = [..."。，、；：？！）》”"]

describe("wrapText", () => {
  test.prop([text, fc.integer({ min: 20, max: 300 })])("keeps every character but the spaces it breaks at, and fits each line", (t, width) => {
    const { font } = countingFont()
    const lines = wrapText(t, font, 10, width)
    expect(lines.join("").replaceAll(" ", "")).toBe(t.replaceAll(" ", ""))
    for (const line of lines) {
      // A line wider than the box holds one unbreakable piece (a character or a Latin word) with the brackets
      // carried down before it and the closing punctuation (and a space before it) pushed down after it.
      if (font.widthOfTextAtSize(line, 10) > width) {
        const chars = [...line]
        while (chars.length > 0 && NO_LINE_END.has(chars[0]!)) chars.shift()
        while (chars.length > 0 && (NO_LINE_START.has(chars[chars.length - 1]!) || chars[chars.length - 1] === " ")) chars.pop()
        expect(chars.join("")).toMatch(/^(.|[A-Za-z0-9@#&'_\-./]+)?$/u)
      }
    }
  })

  test.prop([text, fc.integer({ min: 40, max: 300 })])("starts no line with closing punctuation when the previous line can give a character", (t, width) => {
    const { font } = countingFont()
    const lines = wrapText(t, font, 10, width)
    lines.slice(1).forEach((line, i) => {
      const previous = lines[i]!
      if (CLOSERS.includes(line[0]!) && [...previous].length > 1) expect.unreachable(`line ${i + 1} starts with ${line[0]}`)
    })
  })

  test.prop([text, fc.integer({ min: 40, max: 300 })])("ends no line with an opening bracket when the line holds something else", (t, width) => {
    const { font } = countingFont()
    const lines = wrapText(t, font, 10, width)
    lines.slice(0, -1).forEach((line, i) => {
      const chars = [...line]
      if (chars.length > 1 && NO_LINE_END.has(chars[chars.length - 1]!)) expect.unreachable(`line ${i} ends with ${chars[chars.length - 1]}`)
    })
  })

  it("measures each distinct piece once: linear in the text's length", () => {
    const { font, calls } = countingFont()
    const clause = "甲方应于本合同生效之日起十个工作日内向乙方支付合同总价款的百分之三十，即人民币 30,000 元。".repeat(200)
    wrapText(clause, font, 12, 480)
    // Quadratic re-measuring of the growing line read ~40 characters per call; now each distinct piece is read once.
    expect(calls.chars).toBeLessThan(200)
  })

  it("carries the character before a full stop down with it", () => {
    const { font } = countingFont()
    // 10 per character, width 50: "甲乙丙丁戊" fills a line, so "。" would start the next one.
    expect(wrapText("甲乙丙丁戊。己", font, 10, 50)).toEqual(["甲乙丙丁", "戊。己"])
  })

  it("keeps a Latin word whole when it fits on a line", () => {
    const { font } = countingFont()
    expect(wrapText("合同编号 ABC-123", font, 10, 80)).toEqual(["合同编号", "ABC-123"])
  })
})
