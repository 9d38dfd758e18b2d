/**
 * `signet pdf` answers every input in one or two lines: --help prints the
 * usage, bad options and hostile files give a message (zh-CN and English),
 * never a stack trace.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it, vi } from "vitest"
import { tempDir } from "../../../fixtures/signing/validators.ts"
import pdf from "./pdf.ts"

const captured = () => {
  const out: Array<string> = []
  vi.spyOn(console, "log").mockImplementation((...a: Array<unknown>) => void out.push(a.join(" ")))
  vi.spyOn(console, "error").mockImplementation((...a: Array<unknown>) => void out.push(a.join(" ")))
  return out
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe("signet pdf: answers, not crashes", () => {
  it("sign --help and verify --help print their usage and exit 0", async () => {
    const out = captured()
    expect(await pdf(["sign", "--help"])).toBe(0)
    expect(await pdf(["verify", "-h"])).toBe(0)
    expect(out.join("\n")).toMatch(/signet pdf sign --in IN\.pdf[\s\S]*signet pdf verify FILE\.pdf/)
  })

  it("an unknown option and a missing file: one line with the reason, exit 2 and 1", async () => {
    const out = captured()
    expect(await pdf(["verify", "--no-such-flag", "x.pdf"])).toBe(2)
    expect(await pdf(["verify", join(tempDir(), "missing.pdf")])).toBe(1)
    expect(out.join("\n")).toMatch(/Unknown option '--no-such-flag'[\s\S]*ENOENT/)
    expect(out.join("\n")).not.toMatch(/\n\s+at /)
  })

  it("a hostile file (16 million xref entries in 300 bytes): the typed reason in zh-CN and English, exit 1", async () => {
    const file = join(tempDir(), "bomb.pdf")
    const head = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    writeFileSync(file, `${head}2 0 obj\n<< /Type /XRef /Root 1 0 R /W [0 0 0] /Index [0 16000000] /Size 16000000 /Length 0 >>\nstream\n\nendstream\nendobj\nstartxref\n${head.length}\n%%EOF\n`)
    const out = captured()
    expect(await pdf(["verify", file])).toBe(1)
    expect(out.join("\n")).toMatch(/^signet pdf verify: PDF 文件超出处理上限：交叉引用条目数（16000000 > \d+） \(PDF exceeds the cross-reference entries limit/)
    expect(out.join("\n")).not.toMatch(/\n\s+at /)
  })
})
