import { execFileSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { Effect } from "effect"
import { renderAuthorizationLetter, type LetterData } from "../../core/verification/authorizationLetter.ts"
import { requireTools } from "../../fixtures/tools.ts"
import { layer } from "./index.ts"

const dir = mkdtempSync(join(tmpdir(), "signet-letter-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const data: LetterData = {
  applicationId: "1248849947504173056",
  enterpriseName: "北京示例科技有限公司",
  creditCode: "91110108MA01A2B3CF",
  legalRepresentative: "赵敏",
  applicantName: "王小明",
  applicantIdNumber: "440305199208150034",
}
const render = (d: LetterData) => Effect.runPromise(Effect.result(renderAuthorizationLetter(d).pipe(Effect.provide(layer()))))

describe("authorization letter PDF (V3)", () => {
  it("refuses a character the font cannot print instead of leaving a blank", async () => {
    const r = await render({ ...data, applicantName: "王𠮷" })
    expect(r._tag === "Failure" ? r.failure.characters : "rendered").toBe("𠮷")
  })

  it.skipIf(!requireTools("authorization letter", "pdftotext", "pdffonts"))("pdftotext reads the enterprise and the applicant in Chinese; the font is embedded as a subset", async () => {
    const r = await render(data)
    if (r._tag === "Failure") throw new Error(r.failure.characters)
    const file = join(dir, "letter.pdf")
    writeFileSync(file, r.success)
    expect(r.success.length).toBeLessThan(100_000)
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" }).replace(/\s+/g, "")
    for (const s of ["开户及管理授权书", "北京示例科技有限公司", "王小明", "440305199208150034", "91110108MA01A2B3CF", "委托人（法人）：赵敏", "特此委托"]) {
      expect(text).toContain(s)
    }
    const fonts = execFileSync("pdffonts", [file], { encoding: "utf8" }).split("\n").slice(2).filter((l) => l.trim() !== "")
    expect(fonts.length).toBe(1)
    // name ... type ... emb sub uni: a subset ("ABCDEF+" prefix or sub=yes) embedded with a ToUnicode map.
    expect(fonts[0]).toMatch(/CID TrueType\s+Identity-H\s+yes\s+(yes|no)\s+yes/)
  })
})
