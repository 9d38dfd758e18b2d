import type { Child } from "hono/jsx"
import { maskMobile } from "../../../core/kernel/Mobile.ts"
import type { User } from "../../../core/accounts/User.ts"
import { CsrfInput } from "../../platform/views/form.tsx"

export interface PageContext {
  readonly user: User | null
  readonly csrfToken: string
  readonly path: string
  readonly devProfile: boolean
}

/** The seed's personal workspace menu (个人工作台). Entries not built yet say so. */
const menu: ReadonlyArray<{ group: string; items: ReadonlyArray<{ href: string; label: string; soon?: boolean }> }> = [
  { group: "个人工作台", items: [{ href: "/", label: "首页" }] },
  { group: "签约", items: [{ href: "/contracts/new", label: "发起签约" }, { href: "/contracts/draft", label: "拟定合同" }] },
  { group: "管理签约", items: [{ href: "/contracts", label: "我的签约" }, { href: "/archive", label: "我的合同" }] },
  { group: "账户管理", items: [{ href: "/account", label: "我的账户" }, { href: "/verification", label: "实名认证" }, { href: "/account/password", label: "修改密码" }, { href: "/account/addresses", label: "收货地址" }] },
]

const Head = (p: { title: string }) => (
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>{`${p.title} · Signet 电子签约`}</title>
    <link rel="stylesheet" href="/static/app.css" />
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

/** Pages of a logged-in user: header, workspace menu, content. */
export const Layout = (p: { ctx: PageContext; title: string; children: Child }) => (
  <html lang="zh-CN">
    <Head title={p.title} />
    <body>
      <header class="topbar">
        <Brand />
        {p.ctx.user === null ? null : (
          <div class="topbar-user">
            <span class="who">{p.ctx.user.name ?? "个人账户"} · {maskMobile(p.ctx.user.mobile)}</span>
            <form method="post" action="/logout">
              <CsrfInput token={p.ctx.csrfToken} />
              <button class="btn btn-ghost" type="submit">退出登录</button>
            </form>
          </div>
        )}
      </header>
      <div class="shell">
        <nav class="sidenav" aria-label="功能菜单">
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
      {p.ctx.devProfile ? <footer class="devbar">开发环境 · <a href="/dev/outbox">短信发件箱</a></footer> : null}
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
