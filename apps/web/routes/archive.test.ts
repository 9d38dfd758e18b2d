import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bootForTest, logInAs } from "../../../fixtures/boot.ts"
import { formError, TestBrowser } from "../../../fixtures/browser.ts"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import { addAnnotation, annotationKinds } from "../../../fixtures/signing/attackCorpus.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() })
afterAll(() => app.close())

const logIn = (mobile: string, password = "Demo1234") => logInAs(app, mobile, password, "/archive")
const count = (html: string, label: string) => Number(html.match(new RegExp(`${label}\\((\\d+)\\)`))?.[1] ?? "-1")
const pdfBlob = (bytes: Uint8Array) => new Blob([new Uint8Array(bytes)], { type: "application/pdf" })

describe("my contracts archive (M1-M4)", () => {
  it("completed contracts appear; folders classify them with counts; a non-empty folder cannot be deleted", async () => {
    const zhang = await logIn("13800000001")
    const page = await zhang.get("/archive")
    expect(page.html).toContain("保密协议")
    // A platform contract's size is its signed document's (issue 17: not "—").
    expect(page.html).toMatch(/保密协议[\s\S]*?data-label="大小">\d+\.\d (KB|MB)</)
    expect(page.html).not.toContain("2026 年度技术服务合同") // still being signed: not archived
    expect(count(page.html, "全部")).toBe(1)
    expect((await zhang.post("/archive/folders", { folderName: " " })).status).toBe(422)
    expect((await zhang.post("/archive/folders", { folderName: "2026年" })).location).toBe("/archive?done=folder")
    expect((await zhang.post("/archive/folders", { folderName: "2026年" })).html).toContain("已有同名文件夹")
    const html = (await zhang.get("/archive")).html
    const folderId = html.match(/href="\/archive\?folder=(\d{19})"/)![1]!
    const item = html.match(/name="item" value="(c:\d{19})"/)![1]!
    expect((await zhang.post("/archive/move", { item, folder: folderId })).location).toBe("/archive?done=moved")
    expect(count((await zhang.get("/archive")).html, "2026年")).toBe(1)
    const refused = await zhang.post(`/archive/folders/${folderId}/delete`, {})
    expect(formError(refused.html)).toBe("文件夹不为空，请先把合同移出")
    expect(formError((await zhang.post("/archive/delete", { item })).html)).toBe("平台上签署的合同不能删除，只能删除本地上传的合同")
    await zhang.post("/archive/move", { item, folder: "none" })
    expect((await zhang.post(`/archive/folders/${folderId}/delete`, {})).location).toBe("/archive?done=folderDeleted")
  })

  it("uploads a locally signed contract, shows each signature's check, and lets only the owner see or delete it", async () => {
    const zhang = await logIn("13800000001")
    // The platform-signed demo contract, downloaded and uploaded back: both signatures check out.
    const contractId = (await zhang.get("/archive")).html.match(/href="\/contracts\/(\d{19})"/)![1]!
    await zhang.get(`/contracts/${contractId}/document`)
    const signed = zhang.lastBytes
    await zhang.get("/archive")
    const up = await zhang.postMultipart("/archive/uploads", { document: pdfBlob(signed) }, "nda-signed.pdf")
    expect(up.location).toMatch(/^\/archive\/uploads\/\d{19}$/)
    const report = await zhang.get(up.location!)
    expect(report.html).toContain("有效 / 之后仅追加签名")
    // Two signatures, and the document timestamp each signing act adds in dev (B-LTA, issue 21).
    expect(report.html.match(/>有效</g)?.length).toBe(4)
    expect(report.html.match(/签名域 DocTimeStamp\d+/g)?.length).toBe(2)
    // The same file with a FreeText annotation appended after the last signature: valid signatures, modified document.
    await zhang.get("/archive")
    const annotated = addAnnotation(new Uint8Array(signed), 0, annotationKinds.FreeText!)
    const modified = await zhang.get((await zhang.postMultipart("/archive/uploads", { document: pdfBlob(annotated) }, "nda-annotated.pdf")).location!)
    expect(modified.html).toContain("签名有效但文档在签署后被修改")
    expect(modified.html).toMatch(/第 \d+ 版：添加了第 1 页的 FreeText 注释/)
    // An unsigned PDF is kept but reported as such; a text file is refused by its bytes.
    await zhang.get("/archive")
    const unsigned = await zhang.postMultipart("/archive/uploads", { document: pdfBlob(await classicPdf(1)) }, "plain.pdf")
    expect((await zhang.get(unsigned.location!)).html).toContain("文件中没有数字签名")
    await zhang.get("/archive")
    const txt = await zhang.postMultipart("/archive/uploads", { document: new Blob(["hello"], { type: "application/pdf" }) }, "fake.pdf")
    expect(txt.status).toBe(422)
    expect(txt.html).toContain("只支持 PDF 文件")
    // A file that starts like a PDF but has no readable revision: 无法验证 with the reason, nothing kept.
    await zhang.get("/archive")
    const broken = await zhang.postMultipart("/archive/uploads", { document: new Blob(["%PDF-1.7\nnot really\n"], { type: "application/pdf" }) }, "broken.pdf")
    expect([broken.status, broken.html.includes("无法验证：")]).toEqual([422, true])
    // 李四 cannot open, download, move or delete 张三's upload.
    const uploadId = up.location!.split("/").pop()!
    const li = await logIn("13800000002")
    expect((await li.get(`/archive/uploads/${uploadId}`)).status).toBe(404)
    expect((await li.get(`/archive/uploads/${uploadId}/document`)).status).toBe(404)
    expect((await li.post("/archive/delete", { item: `u:${uploadId}` })).status).toBe(404)
    expect((await li.post("/archive/move", { item: `u:${uploadId}`, folder: "none" })).status).toBe(404)
    // The owner deletes it.
    await zhang.get("/archive")
    expect((await zhang.post("/archive/delete", { item: `u:${uploadId}` })).location).toBe("/archive?done=deleted")
    expect((await zhang.get(`/archive/uploads/${uploadId}`)).status).toBe(404)
  })
})
