import type { Child } from "hono/jsx"
import { maskMobile } from "../../../core/kernel/Mobile.ts"
import type { User } from "../../../core/accounts/User.ts"
import { CsrfInput } from "../../platform/views/form.tsx"

export interface PageContext {
  readonly user: User | null
  readonly csrfToken: string
  readonly path: string
  readonly devProfile: boolean
  /** Unread notices for the header's 提醒, counted when the page is drawn (0 when logged out or unknown). */
  readonly unread?: (() => Promise<number>) | undefined
  /** Set on enterprise workspace pages (/org/:id/...): the header shows the enterprise and the 企业工作台 menu. */
  readonly org?: OrgNav | undefined
}

/** The enterprise a workspace page belongs to, and the user's other enterprises for the account switcher. */
export interface OrgNav {
  readonly id: string
  readonly name: string
  /** The actor's roles, as shown (管理员, 经办人...). */
  readonly roleLabel: string
  /** Menu entries whose action the actor may do (`can()` at their own branch); others are hidden. */
  readonly allowed: ReadonlySet<string>
  readonly enterprises: ReadonlyArray<{ readonly id: string; readonly name: string }>
}

/**
 * 企业工作台 (enterprise workspace) menu, paths under /org/:id. An entry with
 * `action` shows only to members who may do it. Seals, signatures and API
 * keys add their entries here (印章管理, 签名管理, API 密钥).
 */
export const orgMenu: ReadonlyArray<{ path: string; label: string; action?: string }> = [
  { path: "", label: "企业信息" },
  { path: "/members", label: "成员信息", action: "member.view" },
  { path: "/signatories", label: "签署人", action: "member.view" },
  { path: "/branches", label: "分公司" },
  { path: "/seals", label: "印章管理", action: "seal.view" },
  { path: "/signatures", label: "签名管理" },
  { path: "/contracts", label: "合同管理", action: "contract.view" },
  { path: "/templates", label: "合同模板", action: "contract.initiate" },
  { path: "/platform", label: "合作伙伴开放平台", action: "contract.view" },
  { path: "/handover", label: "更换管理员", action: "enterprise.handover" },
  { path: "/api-keys", label: "API 密钥", action: "api.manage" },
  { path: "/webhooks", label: "回调通知", action: "api.manage" },
]

/** The seed's personal workspace menu (个人工作台). Entries not built yet say so. */
const menu: ReadonlyArray<{ group: string; items: ReadonlyArray<{ href: string; label: string; soon?: boolean }> }> = [
  { group: "个人工作台", items: [{ href: "/", label: "首页" }] },
  { group: "签约", items: [{ href: "/contracts/new", label: "发起签约" }, { href: "/contracts/draft", label: "拟定合同" }] },
  { group: "管理签约", items: [{ href: "/contracts", label: "我的签约" }, { href: "/archive", label: "我的合同" }] },
  { group: "订单", items: [{ href: "/orders/shop", label: "申请电子签章" }, { href: "/orders", label: "我的订单" }] },
  { group: "账户管理", items: [{ href: "/account", label: "我的账户" }, { href: "/account/signature", label: "我的签名" }, { href: "/verification", label: "实名认证" }, { href: "/account/password", label: "修改密码" }, { href: "/account/addresses", label: "收货地址" }] },
]

const Head = (p: { title: string }) => (
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>{`${p.title} · Signet 电子签约`}</title>
    <link rel="stylesheet" href="/static/app.css" />
    <link rel="stylesheet" href="/static/organization.css" />
    <script src="/static/htmx.min.js" defer></script>
    <script src="/static/app.js" defer></script>
  </head>
)

const Brand = () => (
  <a class="brand" href="/">
    <span class="brand-mark" aria-hidden="true">签</span>
    <span><strong>Signet</strong><small>电子签约 · 电子印章</small></span>
  </a>
)

/**
 * Header account switcher (个人账户 / 切换到企业用户). On personal pages it links
 * to /org, which lists the user's enterprises; inside an enterprise it names
 * it and lists the way back and the user's other enterprises.
 */
const AccountSwitcher = (p: { ctx: PageContext }) => {
  const org = p.ctx.org
  if (org === undefined) {
    return (
      <nav class="switcher" aria-label="账户切换">
        <span class="switcher-current">个人账户</span>
        <a class="switcher-link" href="/org">切换到企业用户</a>
      </nav>
    )
  }
  return (
    <nav class="switcher" aria-label="账户切换">
      <details class="switcher-menu">
        <summary><span class="switcher-current">企业账户 · {org.name}</span></summary>
        <ul>
          <li><a href="/">个人账户</a></li>
          {org.enterprises.filter((e) => e.id !== org.id).map((e) => <li><a href={`/org/${e.id}`}>{e.name}</a></li>)}
          <li><a href="/org">全部企业</a></li>
        </ul>
      </details>
    </nav>
  )
}

const OrgMenu = (p: { org: OrgNav; path: string }) => (
  <div class="nav-group nav-org">
    <p class="nav-title">企业工作台 · {p.org.roleLabel}</p>
    {orgMenu.filter((i) => i.action === undefined || p.org.allowed.has(i.action)).map((i) => {
      const href = `/org/${p.org.id}${i.path}`
      return <a class={`nav-item${p.path === href ? " active" : ""}`} href={href}>{i.label}</a>
    })}
  </div>
)

/** 提醒 in the header (the manual's "个人账户 … 提醒 退出"): a bell with the unread count, to the notification centre. */
const Bell = async (p: { unread: (() => Promise<number>) | undefined }) => {
  const unread = p.unread === undefined ? 0 : await p.unread()
  return (
    <a class="bell" href="/notifications">
      <span aria-hidden="true">🔔</span>提醒{unread === 0 ? null : <span class="bell-count">{unread > 99 ? "99+" : unread}<span class="sr-only"> 条未读</span></span>}
    </a>
  )
}

/** Pages of a logged-in user: header, workspace menu, content. */
export const Layout = (p: { ctx: PageContext; title: string; children: Child }) => (
  <html lang="zh-CN">
    <Head title={p.title} />
    <body>
      {/* Phones: header account row and menu fold behind 菜单 (a checkbox, so it works without JavaScript). */}
      <input type="checkbox" id="nav-toggle" class="nav-toggle-input" aria-controls="sidenav" />
      <header class="topbar">
        <Brand />
        {/* Outside the folding account row: the unread count stays in sight on a phone. */}
        {p.ctx.user === null ? null : <Bell unread={p.ctx.unread} />}
        <label for="nav-toggle" class="nav-toggle btn btn-ghost">菜单</label>
        {p.ctx.user === null ? null : (
          <div class="topbar-user">
            <AccountSwitcher ctx={p.ctx} />
            <span class="who">{p.ctx.user.name ?? "个人账户"} · {maskMobile(p.ctx.user.mobile)}</span>
            <form method="post" action="/logout">
              <CsrfInput token={p.ctx.csrfToken} />
              <button class="btn btn-ghost" type="submit">退出登录</button>
            </form>
          </div>
        )}
      </header>
      <div class="shell">
        <nav class="sidenav" id="sidenav" aria-label="功能菜单">
          {p.ctx.org === undefined ? null : <OrgMenu org={p.ctx.org} path={p.ctx.path} />}
          {menu.map((g) => (
            <div class="nav-group">
              <p class="nav-title">{g.group}</p>
              {g.items.map((i) => i.soon === true
                ? <span class="nav-item nav-soon" title="即将推出">{i.label}</span>
                : <a class={`nav-item${p.ctx.path === i.href ? " active" : ""}`} href={i.href}>{i.label}</a>)}
            </div>
          ))}
        </nav>
        <main class="content">
          <h1 class="page-title">{p.title}</h1>
          {p.children}
        </main>
      </div>
      {p.ctx.devProfile ? <footer class="devbar">开发环境 · <a href="/dev/outbox">短信发件箱</a> · <a href="/dev/mail">邮件发件箱</a></footer> : null}
    </body>
  </html>
)

/** Log-in and register: a centred card, no menu. */
export const AuthLayout = (p: { title: string; devProfile: boolean; children: Child }) => (
  <html lang="zh-CN">
    <Head title={p.title} />
    <body class="auth">
      <main class="auth-card">
        <div class="auth-brand"><Brand /></div>
        <h1>{p.title}</h1>
        {p.children}
      </main>
      {p.devProfile ? <footer class="devbar">开发环境 · <a href="/dev/outbox">短信发件箱</a></footer> : null}
    </body>
  </html>
)
