/**
 * 个人账户 → 我的签名 under /account/signature: any logged-in person draws,
 * uploads or generates (个人名章) the signature their boxes show, deletes it,
 * and sees it. Only their own: the routes take no user id.
 */
import { Hono } from "hono"
import { deletePersonalSignature, mySignature, personalSignatureImage, savePersonalSignature, stampPersonalSignature } from "../../../core/seals/personalSignature.ts"
import { IMAGE_LIMITS } from "../../../core/seals/image/sealImageUpload.ts"
import type { AppServices } from "../../platform/layers.ts"
import { renderPage, type WebContext, type WebDeps, type WebEnv } from "../context.tsx"
import { PersonalSignaturePage } from "../views/personalSignature.tsx"
import { currentUser, requireUser } from "./account.tsx"
import { drawnOf } from "./drawnSignature.ts"
import { servePng } from "./seals.tsx"
import { describeSealErrorOr500 } from "./sealsErrors.ts"
import type { WebError } from "../catalogue.ts"
import { attempt, bytesOf, fileOf } from "./verificationFiles.ts"
import type { Effect } from "effect"

const TITLE = "我的签名"
const notices: Record<string, string> = { saved: "签名已保存", stamped: "已生成个人名章并设为签名", deleted: "签名已删除" }
type Status = 200 | 400 | 403 | 404 | 409 | 422 | 500

export const personalSignatureRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  app.use("*", requireUser)

  const page = async (c: WebContext, errors?: Record<string, string>, status: Status = 200) => {
    const user = currentUser(c)
    const signature = await deps.run(mySignature(user))
    return renderPage(c, deps, TITLE, (
      <PersonalSignaturePage csrf={c.get("csrfToken")} signature={signature} name={user.name} errors={errors} notice={notices[c.req.query("done") ?? ""]} />
    ), status)
  }

  /** Runs an act; a refusal re-renders the page with its message next to its field. */
  const act = async (c: WebContext, effect: Effect.Effect<unknown, WebError, AppServices>, done: string) => {
    const r = await attempt(deps.exit, effect)
    if (!r.ok) {
      const e = r.error
      // The name seal is the one act here whose text comes from the person, not an enterprise.
      const d = e._tag === "SealTextUnprintable"
        ? { status: 400, field: "_form", message: `姓名中的“${e.characters}”无法生成名章，请手写或上传签名` }
        : describeSealErrorOr500(e)
      return page(c, { [d.field]: d.message }, d.status === 400 ? 422 : d.status as Status)
    }
    return c.redirect(`/account/signature?done=${done}`, 303)
  }

  app.get("/", (c) => page(c))

  app.post("/", async (c) => {
    const body = await c.req.parseBody()
    const drawn = drawnOf(body)
    const file = fileOf(body, "image")
    if (drawn._tag === "invalid") return page(c, { image: "手写签名无法读取，请重写" }, 422)
    if (drawn._tag === "drawn") return act(c, savePersonalSignature(currentUser(c), drawn.bytes, "drawn"), "saved")
    if (file === null) return page(c, { image: "请上传签名图片，或在下方手写签名" }, 422)
    if (file.size > IMAGE_LIMITS.maxBytes) return page(c, { image: "图片不能超过 5 MB" }, 422)
    return act(c, savePersonalSignature(currentUser(c), await bytesOf(file), "uploaded"), "saved")
  })

  app.post("/stamp", (c) => {
    const user = currentUser(c)
    if (user.name === null) return page(c, { _form: "请先在“我的账户”中填写姓名" }, 422)
    return act(c, stampPersonalSignature(user), "stamped")
  })

  app.post("/delete", (c) => act(c, deletePersonalSignature(currentUser(c)), "deleted"))

  app.get("/image.png", async (c) => {
    const r = await attempt(deps.exit, personalSignatureImage(currentUser(c)))
    return r.ok ? servePng(c, r.value) : c.text("签名不存在", 404)
  })

  return app
}
