import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { Effect, Layer } from "effect"
import QRCode from "qrcode"
import { layer as layerFont } from "../../adapters/font-cjk/index.ts"
import { layer as layerQr } from "../../adapters/evidence-qr/index.ts"
import { requireTools } from "../../fixtures/tools.ts"
import type { Bundle } from "./Bundle.ts"
import { qrPlacement, renderReport, type ReportFacts } from "./report.ts"

const ok = requireTools("evidence report PDF", "qpdf", "pdftotext", "pdftoppm")
const dir = mkdtempSync(join(tmpdir(), "signet-report-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const bundle = JSON.parse(readFileSync(new URL("../../fixtures/evidence/bundle-v1.json", import.meta.url), "utf8")) as Bundle
const facts: ReportFacts = {
  contractName: "技术服务合同（测试）",
  contractNumber: bundle.subject.replace("contract:", ""),
  status: "已完成",
  parties: [{ name: "张三", mobile: "138****0001", identity: "已通过个人实名认证", confirmation: "短信验证码确认签署意愿" }],
  code: "7Q2M-9XKD-4HNB-W3RT",
  verifyUrl: "http://127.0.0.1:3000/evidence/report/7Q2M-9XKD-4HNB-W3RT",
  issuedAt: Date.parse("2026-11-23T08:00:00+08:00"),
  timestamp: { time: Date.parse("2026-11-23T07:59:00+08:00"), tsa: "Signet Dev TSA" },
  checks: [{ name: "chain continuity", status: "pass", detail: "" }, { name: "document SM3", status: "skip", detail: "" }],
}

const render = () => Effect.runPromise(renderReport(bundle, facts).pipe(Effect.provide(Layer.mergeAll(layerFont(), layerQr))))

/** A PGM (P5) image: width, height, one gray byte per pixel. */
const readPgm = (bytes: Buffer) => {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 50).toString("latin1"))!
  const [w, h] = [Number(header[1]), Number(header[2])]
  const data = bytes.subarray(header[0].length)
  return { w, h, at: (x: number, y: number) => data[y * w + x]! }
}

describe.skipIf(!ok)("evidence report (出证报告)", () => {
  it("is a well-formed PDF naming the contract number and verification code, in Chinese", async () => {
    const pdf = await render()
    const file = join(dir, "report.pdf")
    writeFileSync(file, pdf)
    expect(execFileSync("qpdf", ["--check", file], { encoding: "utf8" })).toContain("No syntax or stream encoding errors")
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" })
    for (const s of ["电子合同出证报告", facts.contractNumber, facts.code, "技术服务合同", bundle.document!.sha256, "张三"]) expect(text).toContain(s)
    // Every act of the bundle is listed with its log index.
    for (const e of bundle.events) expect(text).toContain(`日志序号 ${e.index}`)
  })

  it("draws a QR code whose modules are qrcode's own encoding of the verify URL (read back from the rendered page)", async () => {
    const file = join(dir, "qr.pdf")
    writeFileSync(file, await render())
    const scale = 8 // pixels per PDF point at 576 dpi
    execFileSync("pdftoppm", ["-r", String(72 * scale), "-f", "1", "-l", "1", "-gray", file, join(dir, "page")])
    const image = readPgm(readFileSync(join(dir, "page-1.pgm")))
    const mismatches = (modules: { size: number; get: (r: number, c: number) => number | boolean }) => {
      const place = qrPlacement(modules.size)
      let count = 0
      for (let r = 0; r < modules.size; r++) {
        for (let col = 0; col < modules.size; col++) {
          // Centre of module (r, col); the image's y axis runs down from the top of the page.
          const x = Math.round((place.x + (4 + col + 0.5) * place.module) * scale)
          const y = Math.round((A4_HEIGHT - place.top + (4 + r + 0.5) * place.module) * scale)
          if ((image.at(x, y) < 128) !== Boolean(modules.get(r, col))) count++
        }
      }
      return count
    }
    expect(mismatches(QRCode.create(facts.verifyUrl, { errorCorrectionLevel: "M" }).modules)).toBe(0)
    // The comparison can fail: another URL's code (same size) does not match the drawing.
    const other = QRCode.create(facts.verifyUrl.replace("7Q2M", "7Q2N"), { errorCorrectionLevel: "M" }).modules
    expect(other.size).toBe(QRCode.create(facts.verifyUrl, { errorCorrectionLevel: "M" }).modules.size)
    expect(mismatches(other)).toBeGreaterThan(20)
  })
})

const A4_HEIGHT = 841.89
