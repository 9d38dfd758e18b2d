/**
 * Issue 16 findings 3 and 8, Deliver 9: hostile files against every upload
 * route. Each answers with a zh-CN message (never a 500, never English
 * internals), and a plain request sent while the hostile one is processed
 * completes first: the parsing happens in the worker pool, not on the
 * request thread. Oversized bodies per route: bodyLimits.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bootForTest, logInAs, TEST_BOOT_OPTIONS } from "../../fixtures/boot.ts"
import { TestBrowser, type Page } from "../../fixtures/browser.ts"
import { imageBombs, pdfBombs } from "../../fixtures/hostile.ts"
import { postMultipart } from "../../fixtures/verification/multipart.ts"
import { demoEnterprise } from "../../fixtures/organizations/webWorld.ts"
import { apiClient, demoEnterprise as apiEnterprise } from "../api/fixtures.ts"
import { demoProvider } from "./seedPlatform.ts"
import { WEB_UPLOAD_ROUTES } from "../web/app.tsx"

type Booted = Awaited<ReturnType<typeof bootForTest>>
let booted: Booted
let ids: { enterpriseId: string }
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
const pdf = (bytes: Uint8Array) => ({ name: "hostile.pdf", type: "application/pdf", bytes })
const image = (bytes: Uint8Array) => ({ name: "hostile.png", type: "image/png", bytes })

/** Sends `hostile` and, once it is on its way, a plain GET; says whether the GET was answered first. */
const whileProcessing = async (hostile: () => Promise<Page>) => {
  let hostileDone = false
  const pending = hostile().then((p) => { hostileDone = true; return p })
  const plain = await new TestBrowser(booted.web).get("/login")
  const plainFirst = !hostileDone
  return { page: await pending, plain, plainFirst }
}

/** A zh-CN refusal: no 500, no English internals (an exception's name, a stack, an empty reason). */
const expectClearAnswer = (page: Page, what: string) => {
  expect(page.status, what).not.toBe(500)
  expect(page.html, what).not.toMatch(/RangeError|TypeError|Error:|Maximum call stack|at \w+ \(|：<|：\s*</)
}

interface UploadRoute {
  readonly name: string
  readonly path: string
  readonly files: "pdf" | "image"
  readonly post: (bytes: Uint8Array) => Promise<Page>
  /** What the route says about a hostile file (zh-CN), or null when it keeps the file and only skips reading it (OCR). */
  readonly refusal: RegExp | null
}

let routes: ReadonlyArray<UploadRoute> = []

beforeAll(async () => {
  booted = await bootForTest({}, { ...TEST_BOOT_OPTIONS, untrustedWork: { timeoutMs: 5_000 } })
  ids = await demoEnterprise(booted)
  const org = `/org/${ids.enterpriseId}`
  const zhang = await logInAs(booted, "13800000001")
  const li = await logInAs(booted, "13800000002")
  const wang = await logInAs(booted, "13800000003")
  const { admin, enterprise } = await apiEnterprise(booted)
  const api = await apiClient(booted, admin, enterprise.id)
  const shanghai = (await li.get(`${org}/platform/new`)).html.match(/name="branchId"[^>]*>[\s\S]*?<option value="(\d{19})"/)?.[1] ?? ids.enterpriseId
  const form = (b: TestBrowser, path: string, fields: Record<string, string>, field: string, file: ReturnType<typeof pdf>, landing = path) => async () => {
    await b.get(landing)
    return postMultipart(booted.web, b, path, fields, { [field]: file })
  }
  routes = [
    { name: "archive upload (M3)", path: "/archive/uploads", files: "pdf", refusal: /无法验证：\S/, post: (x) => form(zhang, "/archive/uploads", {}, "document", pdf(x), "/archive")() },
    { name: "contract create (C1)", path: "/contracts", files: "pdf", refusal: /文件无法签署：\S/, post: (x) => form(zhang, "/contracts", { name: "恶意文件", mode: "sequential", deadline: tomorrow(), includeMe: "on" }, "document", pdf(x), "/contracts/new")() },
    { name: "platform contract (P3)", path: `${org}/platform`, files: "pdf", refusal: /文件无法签署：\S/, post: (x) => form(li, `${org}/platform`, { providerName: demoProvider.name, branchId: shanghai, name: "恶意文件", source: "upload", mode: "simultaneous", deadline: tomorrow() }, "document", pdf(x), `${org}/platform/new`)() },
    { name: "enterprise template (issue 17)", path: `${org}/templates`, files: "pdf", refusal: /文件无法签署：\S/, post: (x) => form(zhang, `${org}/templates`, { name: "恶意模板", roles: "甲方、乙方" }, "document", pdf(x))() },
    { name: "evidence check (B3)", path: "/evidence/verify", files: "pdf", refusal: null, post: (x) => form(zhang, "/evidence/verify", {}, "pdf", pdf(x))().then(async () => {
      await zhang.get("/evidence/verify")
      const deep = new TextEncoder().encode(`${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`)
      return postMultipart(booted.web, zhang, "/evidence/verify", {}, { bundle: { name: "bundle.json", type: "application/json", bytes: deep }, pdf: pdf(x) })
    }) },
    { name: "API contract create (P4)", path: "/api/v1/contracts", files: "pdf", refusal: /文件结构|文件已加密|文件没有页面|文件处理超时|系统繁忙/, post: async (x) => {
      const body = new FormData()
      body.set("contract", JSON.stringify({ name: "恶意文件", deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(), parties: [{ name: "李四", mobile: "13800000002" }] }))
      body.set("document", new File([new Uint8Array(x)], "hostile.pdf", { type: "application/pdf" }))
      const res = await api.post("/api/v1/contracts", { form: body })
      return { status: res.status, location: null, html: await res.text() }
    } },
    { name: "seal image (E5)", path: `${org}/seals`, files: "image", refusal: /图片[^<]*(尺寸|损坏|繁忙|类型|PNG)|只支持 PNG|系统繁忙/, post: (x) => form(zhang, `${org}/seals`, { type: "finance", name: "财务专用章", branchId: ids.enterpriseId, source: "upload" }, "image", image(x))() },
    { name: "signature image (E6)", path: `${org}/signatures`, files: "image", refusal: /图片[^<]*(尺寸|损坏|繁忙|类型|PNG)|只支持 PNG|系统繁忙/, post: (x) => form(wang, `${org}/signatures`, {}, "image", image(x))() },
    { name: "personal signature (issue 17)", path: "/account/signature", files: "image", refusal: /图片[^<]*(尺寸|损坏|繁忙|类型|PNG)|只支持 PNG|系统繁忙/, post: (x) => form(li, "/account/signature", {}, "image", image(x))() },
    { name: "ID photo (V1)", path: "/verification/personal/photo", files: "image", refusal: null, post: (x) => form(li, "/verification/personal/photo", {}, "photo", image(x), "/verification/personal")() },
    { name: "licence photo (V2)", path: "/verification/enterprise/licence", files: "image", refusal: null, post: (x) => form(li, "/verification/enterprise/licence", {}, "licence", image(x), "/verification/enterprise")() },
    { name: "order materials (O2)", path: "/orders/apply", files: "image", refusal: null, post: (x) => form(li, "/orders/apply?ocr=licence", { business: "new", applicant: "enterprise" }, "licence", image(x), "/orders/apply?business=new&applicant=enterprise")() },
  ]
}, 120_000)
afterAll(() => booted.close())

describe("hostile files against every upload route (issue 16)", () => {
  it("the suite covers every upload route of the portal", () => {
    for (const rule of WEB_UPLOAD_ROUTES) {
      expect(routes.some((r) => rule.path.test(r.path)) || rule.path.test("/orders") || rule.path.test("/verification/personal"), String(rule.path)).toBe(true)
    }
  })

  it("PDF bombs (huge /Index, Flate bomb, deep nesting, 32,000 fields sharing a ByteRange): a zh-CN answer, and a plain request is answered meanwhile", async () => {
    const bombs = pdfBombs()
    for (const route of routes.filter((r) => r.files === "pdf")) {
      for (const [bomb, bytes] of bombs) {
        const what = `${route.name}: ${bomb}`
        const { page, plain, plainFirst } = await whileProcessing(() => route.post(bytes))
        expectClearAnswer(page, what)
        // Refused in words, or (a file the route never needs to parse that deep) accepted.
        if (route.refusal !== null && page.status !== 303 && page.status !== 201) expect(page.html, what).toMatch(route.refusal)
        expect(plain.status, what).toBe(200)
        expect(plainFirst, what).toBe(true)
      }
    }
  }, 600_000)

  it("image bombs (huge dimensions, decompression): a zh-CN answer, and a plain request is answered meanwhile", async () => {
    const bombs = imageBombs()
    for (const route of routes.filter((r) => r.files === "image")) {
      for (const [bomb, bytes] of bombs) {
        const what = `${route.name}: ${bomb}`
        const { page, plain, plainFirst } = await whileProcessing(() => route.post(bytes))
        expectClearAnswer(page, what)
        if (route.refusal !== null) expect(page.html, what).toMatch(route.refusal)
        expect(plain.status, what).toBe(200)
        expect(plainFirst, what).toBe(true)
      }
    }
  }, 600_000)
})
