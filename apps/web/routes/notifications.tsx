import { Hono } from "hono"
import { Option, Schema } from "effect"
import { NumericId } from "../../../core/kernel/Ids.ts"
import { markAllRead, myNotifications, openNotification } from "../../../core/notifications/notificationCentre.ts"
import { failureOf } from "../../platform/http/runner.ts"
import { renderPage, safeNext, type WebContext, type WebDeps, type WebEnv } from "../context.tsx"
import { NotificationsPage } from "../views/notifications.tsx"
import { currentUser, requireUser } from "./account.tsx"

const TITLE = "提醒"

/** 提醒 centre (issue 17): the list, 全部标为已读, and opening one notice (marks it read, then goes where it leads). */
export const notificationRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  app.use("*", requireUser)

  const page = async (c: WebContext, notice?: string, status: 200 | 404 = 200) => {
    const asked = Number.parseInt(c.req.query("page") ?? "1", 10)
    const list = await deps.run(myNotifications(currentUser(c), Number.isFinite(asked) ? Math.min(asked, 10_000) : 1))
    return renderPage(c, deps, TITLE, <NotificationsPage csrf={c.get("csrfToken")} {...list} notice={notice} />, status)
  }

  app.get("/", (c) => page(c, c.req.query("done") === "read" ? "已全部标为已读" : undefined))

  app.post("/read", async (c) => {
    await deps.run(markAllRead(currentUser(c)))
    return c.redirect("/notifications?done=read", 303)
  })

  app.post("/:id/open", async (c) => {
    const id = Schema.decodeUnknownOption(NumericId)(c.req.param("id"))
    if (Option.isNone(id)) return page(c, "提醒不存在", 404)
    const exit = await deps.exit(openNotification(currentUser(c), id.value))
    if (failureOf(exit) !== undefined) return page(c, "提醒不存在", 404)
    if (exit._tag === "Failure") throw exit.cause
    // Links are made by core (noticeLink) from fixed paths; safeNext keeps even a tampered row on this site.
    return c.redirect(safeNext(exit.value.link ?? "/notifications"), 303)
  })
  return app
}
