/**
 * Multi-party signing checked by tools nobody on the team wrote: after each
 * signing step pdfsig, mutool, qpdf and openssl must accept every signature.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import type { DirectoryCa } from "../../adapters/ca/index.ts"
import { classicPdf, cjkPdf, linearizedPdf, objectStreamPdf, updatedPdf } from "../../fixtures/pdfs/generate.ts"
import { openTestCa, testSigner, type TestSigner } from "../../fixtures/signing/pki.ts"
import { concatParts, runSigning } from "../../fixtures/signing/run.ts"
import { sealPng } from "../../fixtures/signing/sealPng.ts"
import { expectValidators, nssDbTrusting, pdfsig, tempDir } from "../../fixtures/signing/validators.ts"
import { requireTools } from "../../fixtures/tools.ts"
import { signPdf, type SignPdfOptions } from "./signPdf.ts"
import { verifyPdf } from "./verify/verifyPdf.ts"

const ok = requireTools("PAdES validators", "pdfsig", "mutool", "qpdf", "openssl", "certutil")

describe.skipIf(!ok)("signing with independent validators", () => {
  let ca: DirectoryCa
  let nss: string
  let signers: Array<TestSigner>
  const dir = tempDir()

  beforeAll(async () => {
    ca = await openTestCa()
    nss = nssDbTrusting(ca.files.rootCert)
    signers = await Promise.all([
      testSigner(ca, "rsa", { kind: "person", name: "张三", idNumber: "110101199003071234" }),
      testSigner(ca, "ec", { kind: "enterprise", name: "北京示例科技有限公司", organization: "北京示例科技有限公司", uscc: "91110108MA01ABCD2X" }),
      testSigner(ca, "rsa-pss", { kind: "person", name: "李四 RSA-PSS" }),
      testSigner(ca, "ec", { kind: "person", name: "王五" }),
    ])
  })

  const sign = async (pdf: Uint8Array, i: number, extra: SignPdfOptions = {}) => {
    const s = signers[i % signers.length] as TestSigner
    const out = await runSigning(signPdf(pdf, { reason: `第${i + 1}方签署`, location: "北京", ...extra }, s.signer))
    return concatParts(out.parts)
  }

  /** Asserts every validator accepts all `n` signatures of `pdf`. */
  const validate = async (pdf: Uint8Array, n: number, name: string) => {
    const { pdfsig: sig, mutool: mu } = expectValidators(pdf, n, { nss, rootPem: ca.files.rootCert, name })
    mu.blocks.forEach((b, i) => {
      if (b.includes("RSA-PSS")) return // mutool 1.21.1 cannot check RSA-PSS at all (see mutoolVerify)
      expect(b, mu.raw).toContain(i === n - 1 ? "The document is unchanged since signing." : "The signature is valid but there have been edits since signing.")
    })
    const report = await runSigning(verifyPdf(pdf, { trust: [ca.rootDer] }))
    expect(report.signatures).toHaveLength(n)
    expect(report.valid, JSON.stringify(report, null, 1)).toBe(true)
    return sig
  }

  const inputs: ReadonlyArray<[string, () => Promise<Uint8Array>]> = [
    ["classic xref table", () => classicPdf(2)],
    ["object streams (qpdf)", () => objectStreamPdf(2)],
    ["already has an incremental update", () => updatedPdf()],
    ["multi-page CJK text", () => cjkPdf(3)],
    ["linearized (qpdf)", () => linearizedPdf(3)],
  ]

  for (const [label, make] of inputs) {
    it(`three parties on a PDF with ${label}`, async () => {
      let pdf = await make()
      for (let i = 0; i < 3; i++) {
        const visible = i === 1 ? { visible: { page: 1, rect: { x: 380, y: 80, width: 120, height: 120 }, image: sealPng() } } : {}
        pdf = await sign(pdf, i, visible)
        await validate(pdf, i + 1, `${label.replace(/\W+/g, "-")}-${i + 1}`)
      }
    })
  }

  it("ten signatures in a row stay valid (checked after 1, 3 and 10)", async () => {
    let pdf = await cjkPdf(2)
    for (let i = 0; i < 10; i++) {
      pdf = await sign(pdf, i, i === 9 ? { crossPageSeal: { image: sealPng(), width: 100, height: 100, y: 300 } } : {})
      if (i === 0 || i === 2 || i === 9) await validate(pdf, i + 1, `ten-${i + 1}`)
    }
  })

  it("the same certificate signing twice: both valid and trusted (pdfsig's answer for the repeat is poppler's, see POPPLER_REPEATED_CERTIFICATE)", async () => {
    let pdf = await classicPdf(1)
    for (const i of [0, 1, 0]) pdf = await sign(pdf, i)
    const sig = await validate(pdf, 3, "same-certificate-twice")
    expect(sig.blocks[0]?.certificate).toBe("Certificate is Trusted.")
    expect(sig.blocks[1]?.certificate).toBe("Certificate is Trusted.")
  })

  it("a flipped byte inside a signed range is reported by our verifier and by pdfsig", async () => {
    let pdf = await classicPdf(1)
    pdf = await sign(pdf, 0)
    pdf = await sign(pdf, 1)
    const tampered = new Uint8Array(pdf)
    const at = 200 // inside the original document, covered by both signatures
    tampered[at] = (tampered[at] ?? 0) ^ 0x01
    const report = await runSigning(verifyPdf(tampered, { trust: [ca.rootDer] }))
    expect(report.valid).toBe(false)
    expect(report.signatures.map((s) => s.checks.digest.ok)).toEqual([false, false])
    const file = join(dir, "tampered.pdf")
    writeFileSync(file, tampered)
    const sig = pdfsig(file, nss)
    expect(sig.blocks).toHaveLength(2)
    for (const b of sig.blocks) expect(b.valid, b.text).toBe(false)
  })

  it("certification (DocMDP P=2) first, then two approval signatures", async () => {
    let pdf = await classicPdf(1)
    pdf = await sign(pdf, 0, { certify: true })
    pdf = await sign(pdf, 1)
    pdf = await sign(pdf, 2)
    const sig = await validate(pdf, 3, "certified")
    expect(sig.raw).toContain("Signature Field Name")
  })
})
