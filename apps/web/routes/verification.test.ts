import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Option } from "effect"
import { UserRepository } from "../../../core/ports/UserRepository.ts"
import { PersonalVerificationRepository } from "../../../core/ports/VerificationRepository.ts"
import type { UserId } from "../../../core/kernel/Ids.ts"
import { bootForTest, lastCode } from "../../../fixtures/boot.ts"
import { fieldError, formError, TestBrowser } from "../../../fixtures/browser.ts"
import { jpegHeader, oversizedPng, syntheticPng, tinyPdf } from "../../../fixtures/verification/images.ts"
import { postMultipart } from "../../../fixtures/verification/multipart.ts"
import { registerUser } from "../../../fixtures/verification/portal.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() }, 30_000)
afterAll(() => app.close())

const register = (mobile: string) => registerUser(app, mobile)
const userId = async (mobile: string) => Option.getOrThrow(await app.run(UserRepository.use((r) => r.findByMobile(mobile)))).id as UserId
const isVerified = async (mobile: string) => {
  const id = await userId(mobile)
  return Option.isSome(await app.run(PersonalVerificationRepository.use((r) => r.find(id))))
}

/** 陈静 of the fixture provider's table. */
const chen = { name: "陈静", idNumber: "330106199511110051", bankCard: "6258000012345678901", cardType: "credit", mobile: "13900000013" }
/** 赵敏 and 王小明: a code may go to one number once a minute, so each test texts its own. */
const zhao = { name: "赵敏", idNumber: "510107198802200044", bankCard: "6228480011223344554", cardType: "debit", mobile: "13900000012" }
const wang = { name: "王小明", idNumber: "440305199208150034", bankCard: "6225880000111122224", cardType: "credit", mobile: "13900000011" }
const png = (ocr?: Record<string, string>) => ({ name: "id.png", type: "image/png", bytes: syntheticPng(800, 500, ocr) })
const back = () => ({ name: "id-back.png", type: "image/png", bytes: syntheticPng(800, 501) })
const submit = (b: TestBrowser, fields: Record<string, string>, photo = png()) => postMultipart(app.web, b, "/verification/personal", fields, { photo, backPhoto: back() })

describe("personal verification pages (V1)", () => {
  it("refuses bad files by their bytes, with the typed values kept and nothing stored", async () => {
    const b = await register("13711110001")
    const cases = [
      { file: { name: "id.png", type: "image/png", bytes: new TextEncoder().encode("not an image, just text") }, message: "照片仅限jpeg、jpg、png格式（所选文件的内容不是图片）" },
      { file: { name: "big.png", type: "image/png", bytes: oversizedPng(11 * 1024 * 1024) }, message: "文件大小不能超过 10M（所选文件 11.0M）" },
      { file: { name: "scan.jpg", type: "image/jpeg", bytes: tinyPdf() }, message: "所选文件是 PDF，照片仅限jpeg、jpg、png格式" },
      { file: { name: "tiny.jpg", type: "image/jpeg", bytes: jpegHeader(100, 60) }, message: "图片尺寸不合适（100×60 像素），请上传清晰的照片（每边至少 200 像素）" },
    ]
    for (const { file, message } of cases) {
      const r = await submit(b, { ...chen, code: "123456" }, file)
      expect(r.status).toBe(400)
      expect(fieldError(r.html, "photo")).toBe(message)
      expect(r.html).toContain('value="陈静"')
      expect(r.html).not.toContain('name="photoId"')
    }
    expect(await isVerified("13711110001")).toBe(false)
  })

  it("a wrong check digit and a failed four-factor check are explained next to the field; the right data passes", async () => {
    const b = await register("13711110002")
    const wrongDigit = await submit(b, { ...chen, idNumber: "330106199511110052", code: "123456" })
    expect(wrongDigit.status).toBe(422)
    expect(fieldError(wrongDigit.html, "idNumber")).toBe("身份证号码校验位不正确，请检查是否输错")
    const card = await submit(b, { ...chen, bankCard: "6258000012345678902", code: "123456" })
    expect(fieldError(card.html, "bankCard")).toBe("银行卡号校验不通过，请检查是否输错")

    await b.post("/verification/personal/code", { mobile: chen.mobile })
    const mismatch = await submit(b, { ...chen, name: "陈晶", code: await lastCode(app, chen.mobile) })
    expect(mismatch.status).toBe(400)
    expect(fieldError(mismatch.html, "name")).toBe("姓名与身份证号码不一致，请核对")
    expect(await isVerified("13711110002")).toBe(false)

    // The photo kept from the last attempt is reused (hidden photoId), no new file needed.
    const photoId = mismatch.html.match(/name="photoId" value="(\d+)"/)?.[1] ?? ""
    expect(photoId).toMatch(/^\d{19}$/)
    const resend = await b.post("/verification/personal/code", { mobile: chen.mobile })
    expect(resend.html).toContain("秒后再试")
  })

  it("OCR pre-fills from the photo; success shows the seed's two choices; the profile name is the verified one", async () => {
    const b = await register("13711110003")
    const read = await postMultipart(app.web, b, "/verification/personal/photo", {}, { photo: png({ name: "赵敏", idNumber: zhao.idNumber }) })
    expect(read.status).toBe(200)
    expect(read.html).toContain("已识别姓名、身份证号，请核对后继续填写")
    expect(read.html).toContain(`value="${zhao.idNumber}"`)
    const photoId = read.html.match(/name="photoId" value="(\d+)"/)?.[1] ?? ""
    const send = await postMultipart(app.web, b, "/verification/personal/code", { mobile: zhao.mobile, photoId })
    expect(send.html).toContain("验证码已发送")
    // Both sides are asked (正面 and 反面, as the manual): without the back, refused next to its field, the front kept.
    const noBack = await postMultipart(app.web, b, "/verification/personal", { ...zhao, photoId, code: "123456" })
    expect([noBack.status, fieldError(noBack.html, "backPhoto")]).toEqual([422, "请上传身份证反面照片"])
    expect(noBack.html).toContain(`name="photoId" value="${photoId}"`)
    const ok = await postMultipart(app.web, b, "/verification/personal", { ...zhao, photoId, code: await lastCode(app, zhao.mobile) }, { backPhoto: back() })
    expect(ok.location).toBe("/verification/personal/done")
    const done = await b.get("/verification/personal/done")
    expect(done.html).toContain("您已完成个人实名认证")
    expect(done.html).toContain("暂时跳过，直接登录")
    expect(done.html).toContain(">企业认证<")
    expect(done.html).toContain("5101**********0044")
    expect((await b.get("/account")).html).toContain("赵敏")
    expect((await b.get("/verification/personal")).location).toBe("/verification/personal/done")
  })

  it("uploads are served to their owner only; another user's ids are 404 and unusable", async () => {
    const owner = await register("13711110004")
    const stranger = await register("13711110005")
    const read = await postMultipart(app.web, owner, "/verification/personal/photo", {}, { photo: png({ name: "王小明" }) })
    const photoId = read.html.match(/name="photoId" value="(\d+)"/)?.[1] ?? ""
    const mine = await owner.get(`/verification/files/${photoId}`)
    expect(mine.status).toBe(200)
    expect((await stranger.get(`/verification/files/${photoId}`)).status).toBe(404)
    expect((await stranger.get("/verification/files/../../etc/passwd")).status).toBe(404)
    expect((await new TestBrowser(app.web).get(`/verification/files/${photoId}`)).status).toBe(303)
    await stranger.post("/verification/personal/code", { mobile: wang.mobile })
    const borrowed = await postMultipart(app.web, stranger, "/verification/personal", { ...wang, photoId, code: await lastCode(app, wang.mobile) }, { backPhoto: back() })
    expect(borrowed.status).toBe(404)
    expect(formError(borrowed.html)).toBe("内容不存在或无权访问")
    expect(await isVerified("13711110005")).toBe(false)
  })

  it("OCR reads are limited per user (10 a minute); typing the fields still works", async () => {
    const b = await register("13711110006")
    const statuses: Array<number> = []
    for (let i = 0; i < 10; i++) statuses.push((await postMultipart(app.web, b, "/verification/personal/photo", {}, { photo: png({ name: "陈静" }) })).status)
    expect(statuses.every((s) => s === 200)).toBe(true)
    const limited = await postMultipart(app.web, b, "/verification/personal/photo", {}, { photo: png({ name: "陈静" }) })
    expect(limited.status).toBe(429)
    expect(fieldError(limited.html, "photo")).toMatch(/^识别过于频繁，请 \d+ 秒后再试，或直接填写后提交$/)
  })
})

describe("the code oracle through 个人实名认证 (issue 16 finding 1)", () => {
  it("a victim's register code given as the bank-reserved mobile's code is answered like any guess; ten guesses lock the number", async () => {
    const victim = "13711119901"
    const anonymous = new TestBrowser(app.web)
    await anonymous.get("/register")
    await anonymous.post("/register/code", { mobile: victim }, { "hx-request": "true" })
    const victimCode = await lastCode(app, victim)
    const attacker = await register("13711110099")
    const first = await submit(attacker, { ...wang, mobile: victim, code: victimCode })
    const photoId = first.html.match(/name="photoId" value="(\d+)"/)?.[1]
    expect(photoId).toBeDefined()
    const backPhotoId = first.html.match(/name="backPhotoId" value="(\d+)"/)?.[1] ?? ""
    const guess = (code: string) => postMultipart(app.web, attacker, "/verification/personal", { ...wang, mobile: victim, code, photoId: photoId!, backPhotoId }, {})
    const wrong = await guess(victimCode === "000000" ? "111111" : "000000")
    // The match and a miss get the same answer.
    expect(fieldError(first.html, "code")).toBe("请先获取验证码")
    expect(fieldError(wrong.html, "code")).toBe("请先获取验证码")
    const answers: Array<string | null> = []
    for (let i = 0; i < 10; i++) answers.push(fieldError((await guess(String(100_000 + i))).html, "code"))
    expect(answers.slice(0, 8)).toEqual(Array(8).fill("请先获取验证码"))
    expect(answers.slice(8)).toEqual(Array(2).fill(expect.stringMatching(/^该手机号验证码错误次数过多，已锁定至 .+，届时再试$/)))
    // The lock holds for the code that matched: the number cannot be registered with it now.
    const taken = await anonymous.post("/register", { mobile: victim, code: victimCode, password: "abc12345", confirmPassword: "abc12345" })
    expect(fieldError(taken.html, "code")).toMatch(/已锁定至/)
    expect(Option.isNone(await app.run(UserRepository.use((r) => r.findByMobile(victim))))).toBe(true)
  })
})
