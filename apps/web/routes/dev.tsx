import { Hono } from "hono"
import { SmsOutbox } from "../../../adapters/sms/outbox.ts"
import { MailOutbox } from "../../../adapters/mail-outbox/index.ts"
import { MailOutboxPage } from "../views/ordersDevMail.tsx"
import { renderPage, type WebDeps, type WebEnv } from "../context.tsx"
import { zhDateTime } from "../../../core/kernel/time.ts"

const time = zhDateTime

/** DEVELOPMENT ONLY (mounted in the dev profile): the texts the outbox adapter "sent". */
export const devRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  app.get("/outbox", async (c) => {
    const mobile = c.req.query("mobile")
    const messages = await deps.run(SmsOutbox.use((o) => o.recent(50, mobile !== undefined && /^\d{11}$/.test(mobile) ? mobile : undefined)))
    return renderPage(c, deps, "短信发件箱（开发环境）", (
      <section class="card">
        <p class="muted">开发环境不发送真实短信；验证码等短信保存在这里。生产环境（SIGNET_PROFILE=production）不提供此页面。</p>
        <div class="table-wrap">
          <table class="table" id="outbox">
            <thead><tr><th>时间</th><th>手机号</th><th>内容</th></tr></thead>
            <tbody>
              {messages.map((m) => <tr><td>{time(m.createdAt)}</td><td>{m.mobile}</td><td class="sms-text">{m.text}</td></tr>)}
            </tbody>
          </table>
        </div>
        {messages.length === 0 ? <p class="empty">暂无短信</p> : null}
      </section>
    ))
  })
  app.get("/mail", async (c) => renderPage(c, deps, "邮件发件箱（开发环境）", <MailOutboxPage mails={await deps.run(MailOutbox.use((o) => o.recent(50, c.req.query("to"))))} />))
  return app
}
