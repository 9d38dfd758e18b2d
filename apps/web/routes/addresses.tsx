import { Hono } from "hono"
import { Schema } from "effect"
import { addAddress, deleteAddress, listAddresses, setDefaultAddress, updateAddress } from "../../../core/accounts/addressBook.ts"
import { AddressInput } from "../../../core/accounts/User.ts"
import { AddressId } from "../../../core/kernel/Ids.ts"
import { decodeForm, type FormResult } from "../../platform/http/forms.ts"
import { failureOf } from "../../platform/http/runner.ts"
import { describeError } from "../errors.ts"
import { translate } from "../messages.ts"
import { formValues, renderPage, type WebContext, type WebDeps, type WebEnv } from "../context.tsx"
import { AddressBook, AddressForm } from "../views/account.tsx"
import { currentUser, requireUser } from "./account.tsx"

const TITLE = "收货地址"

const decodeAddress = (body: Record<string, unknown>): FormResult<AddressInput> =>
  decodeForm(AddressInput, { ...body, isDefault: body.isDefault === "on" })

/** The :id of the path, decoded; a malformed id is simply "not found". */
const addressId = (c: WebContext) => Schema.decodeUnknownOption(AddressId)(c.req.param("id"))

const notFound = (c: WebContext, deps: WebDeps) =>
  renderPage(c, deps, TITLE, <p class="alert alert-error">地址不存在或无权访问</p>, 404)

export const addressRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  app.use("*", requireUser)

  const book = async (c: WebContext, extra: { values?: Record<string, string>; errors?: Record<string, string>; notice?: string }, status: 200 | 400 | 422 = 200) => {
    const addresses = await deps.run(listAddresses(currentUser(c).id))
    return renderPage(c, deps, TITLE, <AddressBook csrf={c.get("csrfToken")} addresses={addresses} {...extra} />, status)
  }

  const notices: Record<string, string> = { added: "地址已保存", updated: "地址已修改", deleted: "地址已删除", default: "默认地址已更新" }
  app.get("/", (c) => book(c, { ...(notices[c.req.query("done") ?? ""] === undefined ? {} : { notice: notices[c.req.query("done") ?? ""]! }) }))

  app.post("/", async (c) => {
    const body = await c.req.parseBody()
    const form = decodeAddress(body)
    if (!form.ok) return book(c, { values: formValues(body), errors: translate(form.errors) }, 422)
    const exit = await deps.exit(addAddress(currentUser(c).id, form.value))
    const error = failureOf(exit)
    if (error !== undefined) return book(c, { values: formValues(body), errors: { _form: describeError(error).message } }, 400)
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect("/account/addresses?done=added", 303)
  })

  app.get("/:id/edit", async (c) => {
    const id = addressId(c)
    if (id._tag === "None") return notFound(c, deps)
    const found = (await deps.run(listAddresses(currentUser(c).id))).find((a) => a.id === id.value)
    if (found === undefined) return notFound(c, deps)
    const values = { recipient: found.recipient, mobile: found.mobile, region: found.region, detail: found.detail, isDefault: found.isDefault ? "on" : "" }
    return renderPage(c, deps, "修改收货地址", <section class="card narrow"><AddressForm csrf={c.get("csrfToken")} action={`/account/addresses/${found.id}`} submit="保存修改" values={values} /></section>)
  })

  app.post("/:id", async (c) => {
    const id = addressId(c)
    if (id._tag === "None") return notFound(c, deps)
    const body = await c.req.parseBody()
    const form = decodeAddress(body)
    if (!form.ok) {
      return renderPage(c, deps, "修改收货地址", <section class="card narrow"><AddressForm csrf={c.get("csrfToken")} action={`/account/addresses/${id.value}`} submit="保存修改" values={formValues(body)} errors={translate(form.errors)} /></section>, 422)
    }
    const exit = await deps.exit(updateAddress(currentUser(c).id, id.value, form.value))
    if (failureOf(exit) !== undefined) return notFound(c, deps)
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect("/account/addresses?done=updated", 303)
  })

  app.post("/:id/delete", async (c) => {
    const id = addressId(c)
    if (id._tag === "None") return notFound(c, deps)
    const exit = await deps.exit(deleteAddress(currentUser(c).id, id.value))
    if (failureOf(exit) !== undefined) return notFound(c, deps)
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect("/account/addresses?done=deleted", 303)
  })

  app.post("/:id/default", async (c) => {
    const id = addressId(c)
    if (id._tag === "None") return notFound(c, deps)
    const exit = await deps.exit(setDefaultAddress(currentUser(c).id, id.value))
    if (failureOf(exit) !== undefined) return notFound(c, deps)
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect("/account/addresses?done=default", 303)
  })

  return app
}
