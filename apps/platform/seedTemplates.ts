/**
 * Demo data of issue 17, through the use cases: 李四 keeps a handwritten
 * signature of his own (我的签名), and 张三's demo enterprise keeps a
 * template (模板) with a text, a date and a checkbox field and the boxes of
 * its two roles, placed beside the printed labels (never over them).
 * Whatever is already there is left alone.
 */
import { Effect, Option } from "effect"
import { PDFDocument, rgb } from "pdf-lib"
import { TemplateBox, TemplateFillField } from "../../core/contracts/OrgTemplate.ts"
import { createOrgTemplate, layOutOrgTemplate } from "../../core/contracts/orgTemplates.ts"
import { orgScope } from "../../core/organizations/orgScope.ts"
import { savePersonalSignature } from "../../core/seals/personalSignature.ts"
import { inkText } from "../../core/seals/image/sealImage.ts"
import { encodePng } from "../../core/seals/image/sealImagePng.ts"
import { CjkFont } from "../../core/ports/CjkFont.ts"
import { EnterpriseRepository } from "../../core/ports/EnterpriseRepository.ts"
import { SealRepository } from "../../core/ports/SealRepository.ts"
import { TemplateRepository } from "../../core/ports/TemplateRepository.ts"
import { UserRepository } from "../../core/ports/UserRepository.ts"

export const DEMO_TEMPLATE_NAME = "技术服务合同（企业模板）"

/** The demo template's page: labels printed, the places to fill and sign left blank beside them. */
const templatePdf = Effect.gen(function*() {
  const font = yield* CjkFont
  return yield* Effect.promise(async () => {
    const doc = await PDFDocument.create()
    doc.registerFontkit(font.fontkit)
    const cjk = await doc.embedFont(font.bytes, { subset: true })
    const page = doc.addPage([595, 842])
    page.drawText("技术服务合同", { x: 237, y: 760, size: 20, font: cjk })
    const line = (text: string, y: number) => page.drawText(text, { x: 72, y, size: 12, font: cjk })
    line("委托方：", 700)
    line("服务开始日期：", 670)
    line("已阅读并同意服务条款：", 640)
    line("第一条　服务方按委托方要求提供电子签约系统的部署与运维服务。", 600)
    line("第二条　本合同自双方签署之日起生效，以电子签名方式签署。", 578)
    page.drawText("甲方（签章）：", { x: 72, y: 300, size: 12, font: cjk })
    page.drawText("乙方（签章）：", { x: 320, y: 300, size: 12, font: cjk })
    page.drawLine({ start: { x: 72, y: 190 }, end: { x: 272, y: 190 }, color: rgb(0.7, 0.7, 0.7) })
    page.drawLine({ start: { x: 320, y: 190 }, end: { x: 520, y: 190 }, color: rgb(0.7, 0.7, 0.7) })
    return await doc.save({ useObjectStreams: false })
  })
})

export const seedTemplates = Effect.gen(function*() {
  const users = yield* UserRepository
  const [admin, li] = [yield* users.findByMobile("13800000001"), yield* users.findByMobile("13800000002")]
  if (Option.isSome(li) && Option.isNone(yield* (yield* SealRepository).currentSignature(li.value.id))) {
    yield* savePersonalSignature(li.value, encodePng(yield* inkText(li.value.name ?? "李四")), "drawn")
  }
  if (Option.isNone(admin)) return
  const [enterprise] = yield* (yield* EnterpriseRepository).listAdministeredBy(admin.value.id)
  if (enterprise === undefined) return
  if ((yield* (yield* TemplateRepository).ofEnterprise(enterprise.id)).length > 0) return
  const scope = yield* orgScope(admin.value.id, enterprise.id)
  const created = yield* createOrgTemplate(scope, { name: DEMO_TEMPLATE_NAME, roles: ["甲方", "乙方"], pdf: yield* templatePdf })
  yield* layOutOrgTemplate(scope, created.id, {
    name: created.name,
    fields: [
      new TemplateFillField({ key: "client", label: "委托方", kind: "text", page: 1, x: 122, y: 696, width: 300, height: 20 }),
      new TemplateFillField({ key: "start", label: "服务开始日期", kind: "date", page: 1, x: 158, y: 666, width: 160, height: 20 }),
      new TemplateFillField({ key: "agree", label: "已阅读并同意服务条款", kind: "checkbox", page: 1, x: 206, y: 636, width: 20, height: 20 }),
    ],
    boxes: [
      new TemplateBox({ role: 0, kind: "signature", page: 1, x: 72, y: 200, width: 200, height: 80 }),
      new TemplateBox({ role: 0, kind: "date", page: 1, x: 72, y: 150, width: 200, height: 30 }),
      new TemplateBox({ role: 1, kind: "seal", page: 1, x: 320, y: 195, width: 90, height: 90 }),
      new TemplateBox({ role: 1, kind: "signature", page: 1, x: 415, y: 200, width: 105, height: 60 }),
      new TemplateBox({ role: 1, kind: "date", page: 1, x: 320, y: 150, width: 200, height: 30 }),
    ],
  })
})
