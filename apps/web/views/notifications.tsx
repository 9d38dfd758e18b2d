import type { Notification } from "../../../core/notifications/Notification.ts"
import { PAGE_SIZE } from "../../../core/notifications/notificationCentre.ts"
import { zhDateTime } from "../../../core/kernel/time.ts"
import { CsrfInput, Notice } from "../../platform/views/form.tsx"

/** 提醒: the user's notices (the same words as the texts), unread ones marked; opening one marks it read. */
export const NotificationsPage = (p: {
  csrf: string
  items: ReadonlyArray<Notification>
  page: number
  total: number
  unread: number
  notice?: string | undefined
}) => {
  const pages = Math.max(1, Math.ceil(p.total / PAGE_SIZE))
  return (
    <div class="stack">
      {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
      <section class="card">
        <div class="detail-head">
          <h2 class="card-title">提醒 <span class="muted">（未读 {p.unread} 条）</span></h2>
          {p.unread === 0 ? null : (
            <form method="post" action="/notifications/read">
              <CsrfInput token={p.csrf} />
              <button class="btn btn-secondary" type="submit">全部标为已读</button>
            </form>
          )}
        </div>
        {p.items.length === 0 ? <p class="muted">暂无提醒。合同、企业邀请、认证和订单的通知会显示在这里，并同时以短信发送到您的手机。</p> : (
          <ul class="notice-list" id="notifications">
            {p.items.map((n) => (
              <li class={n.readAt === null ? "notice-item unread" : "notice-item"}>
                <form method="post" action={`/notifications/${n.id}/open`}>
                  <CsrfInput token={p.csrf} />
                  <button class="notice-open" type="submit">
                    {n.readAt === null ? <span class="badge badge-info">未读</span> : <span class="badge badge-muted">已读</span>}
                    <span class="notice-text">{n.text}</span>
                    <time class="muted">{zhDateTime(n.createdAt)}</time>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <div class="pager">
          <span>共 {p.total} 条</span>
          {p.page > 1 ? <a href={`/notifications?page=${p.page - 1}`}>上一页</a> : null}
          <span>第 {p.page} / {pages} 页</span>
          {p.page < pages ? <a href={`/notifications?page=${p.page + 1}`}>下一页</a> : null}
        </div>
      </section>
    </div>
  )
}
