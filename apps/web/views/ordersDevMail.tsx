import type { OutboxMail } from "../../../adapters/mail-outbox/index.ts"
import { time } from "./ordersText.tsx"

/** DEVELOPMENT ONLY: the e-mails the outbox adapter "sent" (order notices, O10). */
export const MailOutboxPage = (p: { mails: ReadonlyArray<OutboxMail> }) => (
  <section class="card">
    <p class="muted">开发环境不发送真实邮件；订单通知等邮件保存在这里。配置 SIGNET_SMTP_* 后通过 SMTP 发送。</p>
    {p.mails.length === 0 ? <p class="empty">暂无邮件</p> : (
      <div class="stack" id="mail-outbox">
        {p.mails.map((m) => (
          <article class="card mail">
            <p><strong class="mail-subject">{m.subject}</strong></p>
            <p class="muted">收件人 {m.to} · {time(m.createdAt)}</p>
            <pre class="sms-text" style="white-space:pre-wrap">{m.text}</pre>
            {(m.attachments ?? []).length === 0 ? null : (
              <ul class="mail-attachments">
                {(m.attachments ?? []).map((a) => <li>附件：<span class="mail-attachment">{a.filename}</span>（{a.contentType}，{Math.ceil((a.base64.length * 3) / 4 / 1024)} KB）</li>)}
              </ul>
            )}
          </article>
        ))}
      </div>
    )}
  </section>
)
