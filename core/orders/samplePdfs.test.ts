import { execFileSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { layer as layerCjkFont } from "../../adapters/font-cjk/index.ts"
import { anApplication } from "../../fixtures/contracts/OrderRepository.contract.ts"
import { tempDir } from "../../fixtures/signing/validators.ts"
import { requireTools } from "../../fixtures/tools.ts"
import { defaultCatalogue } from "./Catalogue.ts"
import { SAMPLE_DOCUMENTS, samplePdf, type SampleDocument } from "./samplePdfs.ts"

const ok = requireTools("sample PDFs", "pdftotext", "qpdf")
const render = (...args: Parameters<typeof samplePdf>) => Effect.runPromise(samplePdf(...args).pipe(Effect.provide(layerCjkFont())))

const textOf = (pdf: Uint8Array) => {
  const dir = tempDir("signet-sample-")
  writeFileSync(join(dir, "s.pdf"), pdf)
  execFileSync("qpdf", ["--check", join(dir, "s.pdf")], { stdio: "pipe" })
  return execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", join(dir, "s.pdf"), "-"], { encoding: "utf8" }).replace(/\s+/g, "")
}

describe.skipIf(!ok)("sample documents (O3)", () => {
  it("each of the three is a clean one-page PDF whose text readers extract", async () => {
    for (const doc of Object.keys(SAMPLE_DOCUMENTS) as Array<SampleDocument>) {
      const text = textOf(await render(doc))
      expect(text).toContain(SAMPLE_DOCUMENTS[doc].replace(/\s+/g, ""))
      expect(text).toContain("加盖公章")
    }
  })

  it("filled in from an application: names, codes and package appear", async () => {
    const app = anApplication({ business: "reissue", applicant: "enterprise", packageId: "main-2y" })
    const pkg = defaultCatalogue.packages.find((p) => p.id === "main-2y")!
    const form = textOf(await render("applicationForm", app, pkg))
    for (const s of ["补办（企业）", app.enterprise!.name, app.enterprise!.creditCode, app.agent.mobile, "主锁2年", app.lostCertificateSerial!]) {
      expect(form).toContain(s.replace(/\s+/g, ""))
    }
    const letter = textOf(await render("authorizationLetter", app, pkg))
    expect(letter).toContain(`兹授权${app.agent.name}`)
  })
})
