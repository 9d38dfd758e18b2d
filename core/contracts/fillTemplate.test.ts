import { spawnSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { randomBytes } from "node:crypto"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import { PDFDocument, PDFName, StandardFonts } from "pdf-lib"
import { caFiles } from "../../adapters/ca/index.ts"
import { webCryptoLayer } from "../../adapters/keys-software/index.ts"
import { verifyPdf } from "../signing/verify/verifyPdf.ts"
import { TrustList } from "../ports/TrustList.ts"
import { layerSoftwareCa } from "../../adapters/signing-identity/index.ts"
import { contractEnterprises } from "../../fixtures/contractEnterprises.ts"
import { lastCodeFor } from "../../fixtures/layers.ts"
import { signaturePng } from "../../fixtures/organizations/sealWorld.ts"
import { layerOrganizationsTest, outcome, person } from "../../fixtures/organizations.ts"
import { inked, pixelsIn, renderPage } from "../../fixtures/signing/render.ts"
import { expectValidators, nssDbTrusting, tempDir } from "../../fixtures/signing/validators.ts"
import { requireTools } from "../../fixtures/tools.ts"
import type { User } from "../accounts/User.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { editMember } from "../organizations/editMember.ts"
import { orgScope } from "../organizations/orgScope.ts"
import { stampPersonalSignature } from "../seals/personalSignature.ts"
import { AppLinks } from "../ports/AppLinks.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { checkTemplateValues, initiateFromTemplate } from "./fillTemplate.ts"
import { TemplateBox, TemplateFillField } from "./OrgTemplate.ts"
import { createOrgTemplate, deleteOrgTemplate, layOutOrgTemplate, usableTemplate } from "./orgTemplates.ts"
import { requestSigningCode, signContract, type SigningChoice } from "./signContract.ts"
import { renderTemplate, templates } from "./templates.ts"

const caDir = mkdtempSync(join(tmpdir(), "signet-template-ca-"))
const stack = Layer.mergeAll(
  layerSoftwareCa(caDir, new Uint8Array(randomBytes(32))),
  Layer.succeed(AppLinks, { contract: (id) => `http://127.0.0.1:3000/contracts/${id}` }),
).pipe(Layer.provideMerge(layerOrganizationsTest))

const tools = requireTools("template contract validators", "pdfsig", "qpdf", "mutool", "openssl", "pdftoppm", "pdftotext")

/** A one-page A4 template with printed labels and an editable AcroForm text field (which filling must flatten away). */
const templatePdf = async () => {
  const doc = await PDFDocument.create()
  const page = doc.addPage([595, 842])
  const helvetica = await doc.embedFont(StandardFonts.Helvetica)
  page.drawText("Service agreement template", { x: 72, y: 780, size: 18, font: helvetica })
  page.drawText("Party A:", { x: 72, y: 705, size: 11, font: helvetica })
  page.drawText("Start date:", { x: 72, y: 675, size: 11, font: helvetica })
  page.drawText("Agreed:", { x: 72, y: 645, size: 11, font: helvetica })
  page.drawText("Party A signs", { x: 72, y: 300, size: 11, font: helvetica })
  page.drawText("Party B seals", { x: 250, y: 300, size: 11, font: helvetica })
  page.drawText("Party C signs", { x: 430, y: 300, size: 11, font: helvetica })
  doc.getForm().createTextField("remarks").addToPage(page, { x: 72, y: 560, width: 300, height: 24 })
  return await doc.save({ useObjectStreams: false })
}

const text = (pdf: Uint8Array) => {
  const file = join(tempDir("signet-template-text-"), "t.pdf")
  writeFileSync(file, pdf)
  const r = spawnSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" })
  // poppler's complaints (e.g. a broken xref it had to reconstruct) fail the test, not just print.
  expect(r.stderr).toBe("")
  return r.stdout.replace(/\s+/g, "")
}

const sign = (user: User, id: NumericId, choice?: SigningChoice) =>
  Effect.gen(function*() {
    yield* requestSigningCode(user, id, choice)
    return yield* signContract(user, id, yield* lastCodeFor(user.mobile), choice)
  })

const FIELDS = [
  new TemplateFillField({ key: "client", label: "甲方名称", kind: "text", page: 1, x: 150, y: 700, width: 260, height: 20 }),
  new TemplateFillField({ key: "start", label: "开始日期", kind: "date", page: 1, x: 150, y: 670, width: 160, height: 20 }),
  new TemplateFillField({ key: "agree", label: "同意条款", kind: "checkbox", page: 1, x: 150, y: 640, width: 20, height: 20 }),
]
const BOXES = [
  new TemplateBox({ role: 0, kind: "signature", page: 1, x: 72, y: 200, width: 150, height: 80 }),
  new TemplateBox({ role: 0, kind: "date", page: 1, x: 72, y: 160, width: 150, height: 30 }),
  // Every box is drawn, not only the first of its kind: a second signature for 甲方, a second seal for 乙方.
  new TemplateBox({ role: 0, kind: "signature", page: 1, x: 72, y: 400, width: 120, height: 100 }),
  new TemplateBox({ role: 1, kind: "seal", page: 1, x: 300, y: 400, width: 100, height: 100 }),
  new TemplateBox({ role: 1, kind: "seal", page: 1, x: 250, y: 190, width: 90, height: 90 }),
  new TemplateBox({ role: 1, kind: "signature", page: 1, x: 345, y: 200, width: 75, height: 60 }),
  new TemplateBox({ role: 1, kind: "date", page: 1, x: 250, y: 160, width: 150, height: 30 }),
  new TemplateBox({ role: 2, kind: "signature", page: 1, x: 430, y: 200, width: 130, height: 60 }),
  new TemplateBox({ role: 2, kind: "date", page: 1, x: 430, y: 160, width: 130, height: 30 }),
]

const red = (r: number, g: number, b: number) => r > 170 && g < 90 && b < 90

describe("built-in templates with enterprise parties (拟定合同, issue 17)", () => {
  it.effect("every box of the three templates, for persons and enterprises, lies on blank paper: no seal or signature covers the 签章 label or any printed text", () =>
    Effect.gen(function*() {
      const values = { partyA: "上海某某有限公司", partyB: "杭州某某技术有限公司", years: "3", place: "北京", scope: "部署", fee: "1000", period: "一年", goods: "USB-Key", quantity: "5 个", amount: "100", delivery: "年底前" }
      for (const template of templates) {
        for (const kinds of [["person", "person"], ["person", "enterprise"], ["enterprise", "enterprise"]] as const) {
          const { pdf, fields } = yield* renderTemplate(template, values, kinds)
          expect(fields.filter((f) => f.kind === "seal").map((f) => f.partyIndex)).toEqual(kinds.flatMap((k, i) => (k === "enterprise" ? [i] : [])))
          if (!tools) continue
          const page = renderPage(pdf, 1)
          for (const f of fields) expect(pixelsIn(page, f.x, f.y, f.width, f.height, inked), `${template.id} ${kinds.join("/")} party ${f.partyIndex} ${f.kind}`).toBe(0)
          // The label itself is printed (so a blank box is not a blank page).
          expect(pixelsIn(page, fields[0]!.x, fields[0]!.y + 60, 96, 24, inked), `${template.id} label`).toBeGreaterThan(50)
        }
      }
    }).pipe(Effect.provide(stack)))
})

describe("enterprise templates (模板, issue 17)", () => {
  it("checks fill-in values by kind: text required and at most 60 characters, real dates, checkboxes on or off", () => {
    const bad = checkTemplateValues(FIELDS, { client: "  ", start: "2026-02-30", agree: "maybe" })
    expect(bad).toEqual({ ok: false, errors: { client: "请填写甲方名称", start: "开始日期：请选择正确的日期", agree: "同意条款：请勾选或不勾选" } })
    expect(checkTemplateValues(FIELDS, { client: "x".repeat(61), start: "2026-12-31" }).ok).toBe(false)
    const good = checkTemplateValues(FIELDS, { client: "北京星河科技有限公司", start: "2026-12-31" })
    expect(good.ok && [...good.values.values()]).toEqual([
      { kind: "text", text: "北京星河科技有限公司" }, { kind: "text", text: "2026年12月31日" }, { kind: "checkbox", checked: false },
    ])
  })

  it.effect("a template with text/date/checkbox fields, sent to a person, an enterprise and a person, filled and signed: values in the PDF text, no form field left, ink in every box, validators accept", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const w = yield* contractEnterprises
      const { jia, yi, ding, wu, xin } = w.people
      const admin = yield* orgScope(jia.id, w.initiating.id)
      // An agent keeps templates only with 管理模板 (an agent permission, issue 17); without it he may still use them; an outsider sees none.
      yield* editMember(jia.id, w.initiating.id, yi.id, { roles: ["agent"], department: null, permissions: ["initiate", "seal", "viewAll"] })
      const agent = yield* orgScope(yi.id, w.initiating.id)
      expect(yield* outcome(createOrgTemplate(agent, { name: "技术服务合同（企业模板）", roles: ["甲方", "乙方", "丙方"], pdf: yield* Effect.promise(templatePdf) }))).toBe("Forbidden")
      const created = yield* createOrgTemplate(admin, { name: "技术服务合同（企业模板）", roles: ["甲方", "乙方", "丙方"], pdf: yield* Effect.promise(templatePdf) })
      expect(yield* outcome(layOutOrgTemplate(admin, created.id, { name: created.name, fields: FIELDS, boxes: [new TemplateBox({ role: 3, kind: "signature", page: 1, x: 1, y: 1, width: 5, height: 5 })] }))).toBe("TemplateLayoutInvalid")
      expect(yield* outcome(layOutOrgTemplate(admin, created.id, { name: created.name, fields: [new TemplateFillField({ ...FIELDS[0]!, x: 590 })], boxes: BOXES }))).toBe("TemplateLayoutInvalid")
      const template = yield* layOutOrgTemplate(admin, created.id, { name: created.name, fields: FIELDS, boxes: BOXES })
      expect(yield* outcome(orgScope(xin.id, w.initiating.id).pipe(Effect.flatMap((s) => usableTemplate(s, template.id))))).toBe("NotFound")

      const first = yield* person("张三丰")
      yield* stampPersonalSignature(first)
      const third = yield* person("李四")
      const deadline = (yield* Clock.currentTimeMillis) + 3 * 24 * 3600_000
      const parties = [{ name: first.name!, mobile: first.mobile }, { enterpriseName: w.signing.name }, { name: third.name!, mobile: third.mobile }]
      const values = { client: "北京星河科技有限公司", start: "2026-12-31", agree: "on" }
      expect(yield* outcome(initiateFromTemplate(yi, agent, { templateId: template.id, values: { ...values, start: "" }, parties, mode: "sequential", deadline }))).toBe("TemplateValuesInvalid")
      expect(yield* outcome(initiateFromTemplate(yi, agent, { templateId: template.id, values, parties: parties.slice(0, 2), mode: "sequential", deadline }))).toBe("TemplateValuesInvalid")
      const contract = yield* initiateFromTemplate(yi, agent, { templateId: template.id, values, parties, mode: "sequential", deadline })
      expect([contract.status, contract.initiatorEnterpriseId, contract.parties.map((p) => p.enterpriseId !== undefined)]).toEqual(["inProgress", w.initiating.id, [false, true, false]])
      expect(contract.fields.map((f) => [f.partyIndex, f.kind])).toEqual(BOXES.map((b) => [b.role, b.kind]))

      // Before any signature: the values are in the text, and no form field is left to edit.
      const sent = Option.getOrThrow(yield* BlobStore.use((b) => b.get(contract.documentSha256)))
      const sentDoc = yield* Effect.promise(() => PDFDocument.load(sent))
      expect(sentDoc.catalog.get(PDFName.of("AcroForm"))).toBeUndefined()
      expect(sentDoc.getForm().getFields()).toHaveLength(0)
      expect(sentDoc.getPage(0).node.Annots()).toBeUndefined()
      if (tools) expect(text(sent)).toContain("北京星河科技有限公司")

      yield* sign(first, contract.id)
      yield* sign(ding, contract.id, { sealId: w.seal.id, signatoryUserId: wu.id })
      // The third party draws a signature on the sign page (used for this contract only).
      const done = yield* sign(third, contract.id, { drawn: signaturePng() })
      expect([done.status, done.documentVersion]).toEqual(["completed", 4])
      const pdf = Option.getOrThrow(yield* BlobStore.use((b) => b.get(done.documentSha256)))
      if (process.env.SIGNET_KEEP_PDF) writeFileSync(process.env.SIGNET_KEEP_PDF, pdf)
      if (!tools) return
      const words = text(pdf)
      for (const v of ["北京星河科技有限公司", "2026年12月31日", "√"]) expect(words).toContain(v)
      // Signet's own verifier: each later revision adds only its signature and the stamps written with it.
      const report = yield* verifyPdf(pdf, { trust: (yield* TrustList).roots }).pipe(Effect.provide(webCryptoLayer))
      expect([report.verdict, report.signatures.map((x) => x.signatureValid)]).toEqual(["signaturesAdded", [true, true, true, true]])
      expect(report.revisions.flatMap((r) => r.changes).filter((x) => !x.allowed)).toEqual([])
      expectValidators(pdf, 4, { nss: nssDbTrusting(caFiles(caDir).rootCert), rootPem: caFiles(caDir).rootCert, name: "template-contract" })
      const page = renderPage(pdf, 1)
      // Every box has ink: the person's 个人名章 (red), the enterprise's seal (red) and signatory, the drawn signature, each date.
      expect(pixelsIn(page, 72, 200, 150, 80, red), "甲方 name seal").toBeGreaterThan(400)
      expect(pixelsIn(page, 72, 400, 120, 100, red), "甲方's second box").toBeGreaterThan(400)
      expect(pixelsIn(page, 300, 400, 100, 100, red), "乙方's second seal").toBeGreaterThan(400)
      expect(pixelsIn(page, 250, 190, 90, 90, red), "乙方 seal").toBeGreaterThan(400)
      expect(pixelsIn(page, 345, 200, 75, 60, inked), "乙方 signatory").toBeGreaterThan(100)
      expect(pixelsIn(page, 430, 200, 130, 60, inked), "丙方 drawn signature").toBeGreaterThan(200)
      expect(pixelsIn(page, 430, 200, 130, 60, red), "丙方 drew, so not a seal").toBe(0)
      for (const x of [72, 250, 430]) expect(pixelsIn(page, x, 160, 130, 30, inked), `date box at ${x}`).toBeGreaterThan(100)

      // A deleted template is gone for new contracts; the contract keeps its document.
      yield* deleteOrgTemplate(admin, template.id)
      expect(yield* outcome(usableTemplate(agent, template.id))).toBe("NotFound")
    }).pipe(Effect.provide(stack)), 120_000)
})
