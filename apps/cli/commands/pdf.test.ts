/**
 * Acceptance: `signet pdf sign` three times with three different keys on a
 * PDF the project did not make (written by `mutool create`), then pdfsig.
 */
import { execFileSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it, vi } from "vitest"
import { addAnnotation, annotationKinds } from "../../../fixtures/signing/attackCorpus.ts"
import { sealPng } from "../../../fixtures/signing/sealPng.ts"
import { nssDbTrusting, pdfsig, qpdfCheck, tempDir } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import ca from "./ca.ts"
import pdf from "./pdf.ts"

const ok = requireTools("signet pdf CLI", "mutool", "pdfsig", "qpdf", "certutil")

describe.skipIf(!ok)("signet ca / signet pdf", () => {
  it("three parties sign a mutool-made PDF; pdfsig and signet pdf verify accept; a flipped byte is refused", async () => {
    const dir = tempDir("signet-cli-")
    const caDir = join(dir, "ca")
    expect(await ca(["init", "--dir", caDir])).toBe(0)
    expect(await ca(["issue", "--dir", caDir, "--cn", "张三", "--id-number", "110101199003071234", "--out", join(dir, "zhang")])).toBe(0)
    expect(await ca(["issue", "--dir", caDir, "--cn", "示例公司", "--org", "示例公司", "--uscc", "91110108MA01ABCD2X", "--key-type", "ec", "--out", join(dir, "corp")])).toBe(0)
    expect(await ca(["issue", "--dir", caDir, "--cn", "李四", "--key-type", "ec", "--out", join(dir, "li")])).toBe(0)
    writeFileSync(join(dir, "page.txt"), "%%MediaBox 0 0 595 842\n%%Font Helv Helvetica\nBT /Helv 24 Tf 72 760 Td (Contract made by mutool) Tj ET\n")
    execFileSync("mutool", ["create", "-o", join(dir, "in.pdf"), join(dir, "page.txt"), join(dir, "page.txt")])
    writeFileSync(join(dir, "seal.png"), sealPng())
    let input = join(dir, "in.pdf")
    for (const [i, who] of ["zhang", "corp", "li"].entries()) {
      const out = join(dir, `signed-${i + 1}.pdf`)
      const extra = who === "corp" ? ["--page", "2", "--rect", "400,80,120,120", "--image", join(dir, "seal.png")] : []
      const code = await pdf(["sign", "--in", input, "--out", out, "--key", join(dir, `${who}.key.pem`), "--cert", join(dir, `${who}.cert.pem`), "--chain", join(dir, `${who}.chain.pem`), "--reason", "同意", ...extra])
      expect(code).toBe(0)
      input = out
    }
    const sig = pdfsig(input, nssDbTrusting(join(caDir, "root.cert.pem")))
    expect(sig.blocks.map((b) => [b.valid, b.total, b.certificate]), sig.raw).toEqual([[true, false, "Certificate is Trusted."], [true, false, "Certificate is Trusted."], [true, true, "Certificate is Trusted."]])
    expect(qpdfCheck(input).status).toBe(0)
    expect(await pdf(["verify", input, "--trust", join(caDir, "root.cert.pem")])).toBe(0)
    expect(await pdf(["verify", input])).toBe(1) // no trust list: chains are not trusted
    // A FreeText annotation appended after the last signature: modified, refused unless --allow-modified.
    const annotated = join(dir, "annotated.pdf")
    writeFileSync(annotated, addAnnotation(new Uint8Array(readFileSync(input)), 0, annotationKinds.FreeText!))
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined)
    try {
      expect(await pdf(["verify", annotated, "--trust", join(caDir, "root.cert.pem")])).toBe(1)
      expect(log.mock.calls.flat().join("\n")).toContain("签名有效但文档在签署后被修改")
      expect(log.mock.calls.flat().join("\n")).toContain("第 1 页的 FreeText 注释")
      expect(await pdf(["verify", annotated, "--trust", join(caDir, "root.cert.pem"), "--allow-modified"])).toBe(0)
      log.mockClear()
      expect(await pdf(["verify", annotated, "--trust", join(caDir, "root.cert.pem"), "--json"])).toBe(1)
      const report = JSON.parse(String(log.mock.calls[0]?.[0])) as { verdict: string; revisions: Array<{ changes: Array<{ en: string }> }> }
      expect(report.verdict).toBe("modified")
      expect(report.revisions.at(-1)?.changes.map((c) => c.en)).toEqual(["annotation FreeText on page 1 added"])
      log.mockClear()
      expect(await pdf(["verify", input, "--trust", join(caDir, "root.cert.pem")])).toBe(0)
      expect(log.mock.calls.flat().join("\n")).toContain("有效 / 之后仅追加签名")
    } finally {
      log.mockRestore()
    }
    const bytes = readFileSync(input)
    bytes[100] = (bytes[100] ?? 0) ^ 0x20
    writeFileSync(join(dir, "tampered.pdf"), bytes)
    expect(await pdf(["verify", join(dir, "tampered.pdf"), "--trust", join(caDir, "root.cert.pem"), "--json"])).toBe(1)
    expect(await pdf(["sign", "--in", join(dir, "page.txt"), "--out", join(dir, "never.pdf"), "--key", join(dir, "li.key.pem"), "--cert", join(dir, "li.cert.pem")])).toBe(1)
    expect(() => readFileSync(join(dir, "never.pdf"))).toThrow()
  })
})
