import { Hono } from "hono"
import { Effect, Option, Schema } from "effect"
import { FolderName } from "../../../core/archive/Archive.ts"
import { createFolder, deleteFolder, deleteItem, listArchive, moveItem, uploadLocalContract } from "../../../core/archive/archiveUseCases.ts"
import { NumericId } from "../../../core/kernel/Ids.ts"
import { ArchiveRepository } from "../../../core/ports/ArchiveRepository.ts"
import { BlobStore } from "../../../core/ports/BlobStore.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import { failureOf } from "../../platform/http/runner.ts"
import { renderPage, type WebContext, type WebDeps, type WebEnv } from "../context.tsx"
import { ArchivePage, UploadReport } from "../views/archive.tsx"
import { currentUser, requireUser } from "./account.tsx"
import { isPdf } from "../../../core/kernel/bytes.ts"
import { MAX_DOCUMENT_BYTES } from "../../../core/contracts/NewContract.ts"
import { fieldMessage } from "../messages.ts"
import { messageOf, type WebError } from "../catalogue.ts"
import type { AppServices } from "../../platform/layers.ts"

const TITLE = "我的合同"
/** This page names what was not found. */
const NOT_FOUND = "合同或文件夹不存在"
const notices: Record<string, string> = { folder: "文件夹已创建", moved: "已移动", deleted: "已删除", folderDeleted: "文件夹已删除" }

const FolderBody = Schema.Struct({ folderName: FolderName })

export const archiveRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  app.use("*", requireUser)

  const page = async (c: WebContext, extra: { notice?: string; errors?: Record<string, string> } = {}, status: 200 | 400 | 404 | 409 | 422 = 200) => {
    const { items, folders } = await deps.run(listArchive(currentUser(c)))
    const asked = c.req.query("folder") ?? "all"
    const current = asked === "none" || folders.some((f) => f.id === asked) ? asked : "all"
    return renderPage(c, deps, TITLE, <ArchivePage csrf={c.get("csrfToken")} items={items} folders={folders} current={current} {...extra} />, status)
  }

  /** Runs an act; on a refusal re-renders the page with its message. */
  const act = async (c: WebContext, eff: Effect.Effect<unknown, WebError, AppServices>, done: string, field = "_form") => {
    const exit = await deps.exit(eff)
    const error = failureOf(exit)
    if (error !== undefined) return page(c, { errors: { [field]: error._tag === "NotFound" ? NOT_FOUND : messageOf(error) } }, error._tag === "NotFound" ? 404 : 409)
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect(`/archive?done=${done}`, 303)
  }

  app.get("/", (c) => page(c, notices[c.req.query("done") ?? ""] === undefined ? {} : { notice: notices[c.req.query("done") ?? ""]! }))

  app.post("/folders", async (c) => {
    const form = decodeForm(FolderBody, await c.req.parseBody())
    if (!form.ok) return page(c, { errors: { folderName: "文件夹名称为 1-30 个字，前后不能有空格" } }, 422)
    return act(c, createFolder(currentUser(c), form.value.folderName), "folder", "folderName")
  })

  app.post("/folders/:id/delete", async (c) => {
    const id = Schema.decodeUnknownOption(NumericId)(c.req.param("id"))
    if (Option.isNone(id)) return page(c, { errors: { _form: NOT_FOUND } }, 404)
    return act(c, deleteFolder(currentUser(c), id.value), "folderDeleted")
  })

  app.post("/move", async (c) => {
    const body = await c.req.parseBody()
    const item = typeof body.item === "string" ? body.item : ""
    const folder = body.folder === "none" ? Option.some(null) : Schema.decodeUnknownOption(NumericId)(body.folder)
    if (Option.isNone(folder) || !/^[cu]:\d{19}$/.test(item)) return page(c, { errors: { _form: NOT_FOUND } }, 404)
    return act(c, moveItem(currentUser(c), item, folder.value), "moved")
  })

  app.post("/delete", async (c) => {
    const body = await c.req.parseBody()
    const item = typeof body.item === "string" ? body.item : ""
    if (!/^[cu]:\d{19}$/.test(item)) return page(c, { errors: { _form: NOT_FOUND } }, 404)
    return act(c, deleteItem(currentUser(c), item), "deleted")
  })

  app.post("/uploads", async (c) => {
    const body = await c.req.parseBody()
    const file = body.document
    if (!(file instanceof File) || file.size === 0) return page(c, { errors: { document: "请选择要上传的 PDF 文件" } }, 422)
    if (file.size > MAX_DOCUMENT_BYTES) return page(c, { errors: { document: fieldMessage("document.tooLarge") } }, 422)
    const bytes = new Uint8Array(await file.arrayBuffer())
    if (!isPdf(bytes)) return page(c, { errors: { document: "只支持 PDF 文件（按文件内容识别，不看扩展名）" } }, 422)
    const name = file.name.replace(/\.pdf$/i, "").slice(0, 60) || "本地合同"
    const exit = await deps.exit(uploadLocalContract(currentUser(c), name, bytes))
    const error = failureOf(exit)
    if (error !== undefined) {
      return page(c, { errors: { document: messageOf(error) } }, 422)
    }
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect(`/archive/uploads/${exit.value.id}`, 303)
  })

  const ownUpload = async (c: WebContext) => {
    const id = Schema.decodeUnknownOption(NumericId)(c.req.param("id"))
    if (Option.isNone(id)) return null
    const found = await deps.run(ArchiveRepository.use((a) => a.findUpload(id.value)))
    return Option.isSome(found) && found.value.ownerUserId === currentUser(c).id ? found.value : null
  }

  app.get("/uploads/:id", async (c) => {
    const upload = await ownUpload(c)
    if (upload === null) return renderPage(c, deps, TITLE, <p class="alert alert-error">合同不存在或无权查看</p>, 404)
    return renderPage(c, deps, "签名检验结果", <UploadReport upload={upload} />)
  })

  app.get("/uploads/:id/document", async (c) => {
    const upload = await ownUpload(c)
    if (upload === null) return c.text("不存在或无权访问", 404)
    const bytes = await deps.run(BlobStore.use((b) => b.get(upload.sha256)))
    if (Option.isNone(bytes)) return c.text("文件不存在", 404)
    return c.body(new Uint8Array(bytes.value), 200, {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="archive-${upload.id}.pdf"; filename*=UTF-8''${encodeURIComponent(upload.name)}.pdf`,
      "x-content-type-options": "nosniff",
    })
  })

  return app
}
