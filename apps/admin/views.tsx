import { raw } from "hono/html"
import type { Child } from "hono/jsx"
import type { Staff } from "../../core/accounts/User.ts"
import { CsrfInput, Field, FormError, type Errors, type Values } from "../platform/views/form.tsx"

const Head = (p: { title: string }) => (
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>{`${p.title} · Signet 运营后台`}</title>
    <link rel="stylesheet" href="/static/app.css" />
    <link rel="stylesheet" href="/static/admin.css" />
    <script src="/static/htmx.min.js" defer></script>
    <script src="/static/app.js" defer></script>
  </head>
)

/**
 * An uploaded PDF for a reviewer: static/pdf-preview.js draws its first pages with pdf.js (no native viewer, which
 * closed staff confirm dialogs while it started); without JavaScript the link stays.
 */
export const PdfPreview = (p: { src: string; label: string }) => (
  <div class="pdf-preview" data-src={p.src} data-label={p.label} role="group" aria-label={`${p.label}（PDF）`}>
    <p class="pdf-preview-status"><a href={p.src} target="_blank">查看 PDF</a></p>
    <div class="pdf-preview-pages"></div>
    <script type="module" src="/static/pdf-preview.js"></script>
  </div>
)

const Brand = () => (
  <a class="brand" href="/">
    <span class="brand-mark" aria-hidden="true">审</span>
    <span><strong>Signet 运营后台</strong><small>审核 · 履约 · 证据</small></span>
  </a>
)

/** The admin app's one navigation, on every page after log-in (the portal's side menu, in the admin frame). */
export const ADMIN_NAV: ReadonlyArray<{ readonly group: string; readonly items: ReadonlyArray<{ readonly label: string; readonly href: string }> }> = [
  { group: "概览", items: [{ label: "工作台", href: "/" }] },
  {
    group: "订单",
    items: [
      { label: "订单审核", href: "/orders?queue=review" },
      { label: "订单履约", href: "/orders?queue=fulfil" },
      { label: "待收货 / 待自提", href: "/orders?queue=handover" },
      { label: "发票（待开票 / 待寄出）", href: "/orders/invoices" },
      { label: "订单查询", href: "/orders/search" },
      { label: "已关闭订单", href: "/orders/search?status=closed" },
    ],
  },
  { group: "认证", items: [{ label: "企业认证审核", href: "/verifications" }] },
  { group: "证据", items: [{ label: "证据查询", href: "/evidence" }] },
  { group: "账户", items: [{ label: "身份验证器", href: "/account/totp" }] },
]

/** Whether the page at `here` (path and query) belongs to the menu entry `href`. */
export const navActive = (href: string, here: string) => {
  const [path = "/", query = ""] = here.split("?")
  const [hrefPath = "/", hrefQuery = ""] = href.split("?")
  if (hrefQuery !== "") {
    const want = new URLSearchParams(hrefQuery)
    const got = new URLSearchParams(query)
    if (want.has("status")) return path === hrefPath && got.get("status") === want.get("status")
    return path === hrefPath && want.get("queue") === (got.get("queue") ?? "review")
  }
  if (href === "/orders/search" && new URLSearchParams(query).get("status") === "closed") return false
  if (href === "/") return path === "/"
  return path === href || path.startsWith(`${href}/`)
}

export const AdminNav = (p: { here: string }) => (
  <nav class="sidenav admin-nav" aria-label="运营后台菜单">
    {ADMIN_NAV.map((g) => (
      <div class="nav-group">
        <p class="nav-title">{g.group}</p>
        {g.items.map((i) => {
          const active = navActive(i.href, p.here)
          return <a class={`nav-item${active ? " active" : ""}`} href={i.href} aria-current={active ? "page" : undefined}>{i.label}</a>
        })}
      </div>
    ))}
  </nav>
)

/** `here`: the request's path and query (c.req.path + search), for the menu's current entry. */
export const AdminLayout = (p: { title: string; staff: Staff; csrf: string; here?: string | undefined; children: Child }) => (
  <html lang="zh-CN">
    <Head title={p.title} />
    <body class="admin">
      <header class="topbar">
        <Brand />
        <div class="topbar-user">
          <span class="who">{p.staff.name}（{p.staff.username}）</span>
          <form method="post" action="/logout"><CsrfInput token={p.csrf} /><button class="btn btn-ghost" type="submit">退出</button></form>
        </div>
      </header>
      <div class="shell">
        <AdminNav here={p.here ?? ""} />
        <main class="content">
          <h1 class="page-title">{p.title}</h1>
          {p.children}
        </main>
      </div>
    </body>
  </html>
)

/** The request's path and query, as AdminLayout's `here`. */
export const hereOf = (url: string) => {
  const u = new URL(url)
  return `${u.pathname}${u.search}`
}

export const Dashboard = (p: { pendingVerifications?: number }) => (
  <div class="tiles">
    {p.pendingVerifications === undefined ? null : (
      <a class="tile" href="/verifications"><strong>企业认证审核</strong><span>企业提交的营业执照与授权书</span><span class="count">{p.pendingVerifications} 待处理</span></a>
    )}
    <a class="tile" href="/evidence"><strong>证据查询</strong><span>按签约编号、订单号或日志序号查看事件链、包含证明与检查点</span></a>
    <a class="tile" href="/orders/search"><strong>订单查询</strong><span>按订单号、申请人、企业、手机号、状态和日期查找订单（含已关闭）</span></a>
  </div>
)

/** The dashboard's reminder while the account has no authenticator (dev profile: two-factor optional). */
export const TotpReminder = () => (
  <div class="alert alert-info" role="status">您的账户尚未绑定身份验证器。<a href="/account/totp">立即绑定</a>，登录时需再输入动态验证码。</div>
)

/**
 * X1 enrolment: the otpauth:// URI as a QR code (the `qrcode` package's SVG)
 * and as text for apps that cannot scan, confirmed by the first code.
 */
export const TotpEnrolment = (p: { csrf: string; uri: string; qrSvg: string; required: boolean; errors?: Errors | undefined }) => {
  const errors = p.errors ?? {}
  const secret = new URL(p.uri.replace("otpauth://", "https://")).searchParams.get("secret") ?? ""
  return (
    <section class="card totp-enrolment">
      {p.required ? <p class="alert alert-info" role="status">员工账户必须绑定身份验证器后才能使用运营后台。</p> : null}
      <ol class="steps">
        <li>用身份验证器（如 Google Authenticator、Microsoft Authenticator、FreeOTP）扫描下方二维码。</li>
        <li>无法扫码时，手动添加账户并输入密钥：<code class="totp-secret">{secret}</code>（基于时间，30 秒，6 位）。</li>
        <li>输入验证器显示的 6 位验证码完成绑定。</li>
      </ol>
      <div class="totp-qr" role="img" aria-label="身份验证器绑定二维码">{raw(p.qrSvg)}</div>
      <p class="hint">二维码内容：<code class="totp-uri">{p.uri}</code></p>
      <form method="post" action="/account/totp" class="form" novalidate>
        <CsrfInput token={p.csrf} />
        <FormError errors={errors} />
        <Field name="code" label="验证码" autocomplete="one-time-code" inputmode="numeric" maxlength={6} errors={errors} />
        <button class="btn btn-primary" type="submit">确认绑定</button>
      </form>
    </section>
  )
}

export const TotpEnrolled = () => (
  <section class="card"><p>身份验证器已绑定：登录时需输入验证器上的动态验证码。更换手机或遗失时，请运维执行 <code>signet admin reset-totp --username 用户名</code> 后重新绑定。</p></section>
)

export const AdminLogin = (p: { csrf: string; values?: Values | undefined; errors?: Errors | undefined }) => {
  const errors = p.errors ?? {}
  return (
    <html lang="zh-CN">
      <Head title="员工登录" />
      <body class="auth admin">
        <main class="auth-card">
          <div class="auth-brand"><Brand /></div>
          <h1>员工登录</h1>
          <form method="post" action="/login" class="form" novalidate>
            <CsrfInput token={p.csrf} />
            <FormError errors={errors} />
            <Field name="username" label="用户名" autocomplete="username" values={p.values} errors={errors} />
            <Field name="password" label="密码" type="password" autocomplete="current-password" errors={errors} />
            <Field name="code" label="动态验证码" autocomplete="one-time-code" inputmode="numeric" maxlength={6} errors={errors}
              hint="已绑定身份验证器的账户填写验证器上的 6 位数字" />
            <button class="btn btn-primary btn-block" type="submit">登录</button>
            <p class="hint">员工账户由运维通过 <code>signet admin create</code> 创建，与用户账户互不通用。</p>
          </form>
        </main>
      </body>
    </html>
  )
}
