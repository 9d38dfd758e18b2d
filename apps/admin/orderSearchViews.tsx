import { invoiceMedium } from "../../core/orders/Invoice.ts"
import { invoiceLines } from "../../core/orders/invoiceMachine.ts"
import type { Order } from "../../core/orders/Order.ts"
import { OrderStatus } from "../../core/orders/OrderState.ts"
import { CsrfInput, Notice, type Errors } from "../platform/views/form.tsx"
import { invoiceStateText, STATUS_TEXT, time, yuan } from "../web/views/ordersText.tsx"
import { OrderTable } from "./orderViews.tsx"

/** The status choices of the search form: each status, and 已关闭 (cancelled and refunded together). */
export const SEARCH_STATUSES: ReadonlyArray<readonly [string, string]> = [
  ["", "全部状态"], ["closed", "已关闭（已取消、已退款）"], ...OrderStatus.literals.map((s) => [s, STATUS_TEXT[s]] as const),
]

const Input = (p: { name: string; label: string; values: Readonly<Record<string, string>>; errors: Errors; type?: string; placeholder?: string; maxlength?: number; inputmode?: "numeric" | "tel" | "text" }) => (
  <div class={`field${p.errors[p.name] === undefined ? "" : " has-error"}`}>
    <label for={`s-${p.name}`}>{p.label}</label>
    <input id={`s-${p.name}`} name={p.name} type={p.type ?? "text"} value={p.values[p.name] ?? ""} placeholder={p.placeholder} maxlength={p.maxlength}
      inputmode={p.inputmode} aria-describedby={p.errors[p.name] === undefined ? undefined : `s-${p.name}-error`} />
    {p.errors[p.name] === undefined ? null : <p class="field-error" id={`s-${p.name}-error`}>{p.errors[p.name]}</p>}
  </div>
)

export interface SearchResult {
  readonly orders: ReadonlyArray<Order>
  readonly total: number
  readonly totalCapped: boolean
  readonly page: number
  readonly pages: number
}

/** X3 订单查询: by number, applicant, company, mobile, status and date, paged (newest first). */
export const OrderSearchPage = (p: { values: Readonly<Record<string, string>>; errors: Errors; result: SearchResult | null }) => {
  const link = (page: number) => `/orders/search?${new URLSearchParams({ ...Object.fromEntries(Object.entries(p.values).filter(([k, v]) => v !== "" && k !== "page")), page: String(page) })}`
  return (
    <div class="stack">
      <section class="card">
        <form method="get" action="/orders/search" class="search-form" role="search" novalidate>
          <Input name="no" label="订单号" values={p.values} errors={p.errors} maxlength={19} inputmode="numeric" placeholder="19 位数字" />
          <Input name="applicant" label="申请人 / 经办人" values={p.values} errors={p.errors} maxlength={60} placeholder="姓名（可部分）" />
          <Input name="company" label="企业名称" values={p.values} errors={p.errors} maxlength={100} placeholder="名称（可部分）" />
          <Input name="mobile" label="经办人手机" values={p.values} errors={p.errors} maxlength={11} inputmode="numeric" />
          <div class={`field${p.errors.status === undefined ? "" : " has-error"}`}>
            <label for="s-status">状态</label>
            <select id="s-status" name="status">{SEARCH_STATUSES.map(([v, label]) => <option value={v} selected={(p.values.status ?? "") === v}>{label}</option>)}</select>
            {p.errors.status === undefined ? null : <p class="field-error">{p.errors.status}</p>}
          </div>
          <Input name="from" label="下单日期（起）" type="date" values={p.values} errors={p.errors} />
          <Input name="to" label="下单日期（止）" type="date" values={p.values} errors={p.errors} />
          <div class="field"><button class="btn btn-primary" type="submit">查询</button> <a href="/orders/search">清空</a></div>
        </form>
      </section>
      {p.result === null ? null : (
        <section class="card" id="search-results">
          <p class="muted">共 <strong id="search-total">{p.result.totalCapped ? `${p.result.total}+` : p.result.total}</strong> 个订单{p.result.totalCapped ? "（仅统计前 1000 个，请缩小条件）" : ""}</p>
          {p.result.orders.length === 0 ? <p class="empty">没有符合条件的订单。</p> : <OrderTable orders={p.result.orders} id="search-table" />}
          <nav class="pager" aria-label="分页">
            {p.result.page > 1 ? <a href={link(p.result.page - 1)} rel="prev">上一页</a> : null}
            <span>第 {p.result.page} / {p.result.pages} 页</span>
            {p.result.page < p.result.pages ? <a href={link(p.result.page + 1)} rel="next">下一页</a> : null}
          </nav>
        </section>
      )}
    </div>
  )
}

export const INVOICE_TABS = [["toIssue", "待开票"], ["toMail", "待寄出（纸质发票）"]] as const
export type InvoiceTab = (typeof INVOICE_TABS)[number][0]

/** X2 开票 queues: paid orders whose invoice is not issued; paper invoices issued but not mailed. */
export const InvoiceQueue = (p: { tab: InvoiceTab; orders: ReadonlyArray<Order>; notice?: string | undefined }) => (
  <div class="stack">
    {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
    <section class="card">
      <div class="list-head">
        <nav class="tabs" aria-label="开票队列">
          {INVOICE_TABS.map(([t, label]) => <a class={`tab${t === p.tab ? " active" : ""}`} href={`/orders/invoices?tab=${t}`} aria-current={t === p.tab ? "page" : undefined}>{label}</a>)}
        </nav>
      </div>
      {p.orders.length === 0 ? <p class="empty">队列为空。</p> : (
        <div class="table-wrap">
          <table class="table table-stack" id="invoice-queue">
            <thead><tr><th>订单号</th><th>发票类型</th><th>抬头</th><th>纳税人识别号</th><th>金额</th><th>支付时间</th><th>发票状态</th><th>操作</th></tr></thead>
            <tbody>
              {p.orders.map((o) => (
                <tr data-order={o.id}>
                  <td data-label="订单号" class="mono">{o.id}</td>
                  <td data-label="发票类型">{invoiceMedium(o.invoice) === "paper" ? "纸质发票" : "电子发票"}</td>
                  <td data-label="抬头">{o.invoice.title}</td>
                  <td data-label="纳税人识别号" class="mono">{o.invoice.taxpayerId ?? "—"}</td>
                  <td data-label="金额">{yuan(o.price.payableFen)}</td>
                  <td data-label="支付时间">{o.state.payment === null ? "—" : time(o.state.payment.paidAt)}</td>
                  <td data-label="发票状态">{invoiceStateText(o)}</td>
                  <td data-label="操作"><a href={`/orders/${o.id}#invoice`}>{p.tab === "toIssue" ? "开票" : "寄出"}</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  </div>
)

const CARRIERS = ["顺丰速运", "中国邮政 EMS", "京东物流", "圆通速递", "中通快递"]

/** The invoice on the staff order page: what was asked for, where it is, and the next invoicing step. */
export const InvoiceCard = (p: { order: Order; csrf: string; errors: Errors; values: Readonly<Record<string, string>> }) => {
  const o = p.order
  const r = o.invoiceRecord
  const paper = invoiceMedium(o.invoice) === "paper"
  const base = `/orders/${o.id}/invoice`
  const paid = o.state.payment !== null && !["cancelled", "refunding", "refunded", "pending_payment"].includes(o.state.status)
  return (
    <section class="card" id="invoice">
      <h2 class="card-title">发票 <span class="badge" id="invoice-state">{invoiceStateText(o)}</span></h2>
      <dl class="facts">
        <dt>发票类型</dt><dd>{paper ? "纸质发票（邮寄）" : "电子发票（邮件发送）"}</dd>
        <dt>抬头</dt><dd>{o.invoice.title}（{o.invoice.kind === "enterprise" ? "单位" : "个人"}）</dd>
        {o.invoice.taxpayerId === null ? null : <><dt>纳税人识别号</dt><dd class="mono">{o.invoice.taxpayerId}</dd></>}
        <dt>{paper ? "通知邮箱" : "接收邮箱"}</dt><dd>{o.invoice.email}</dd>
        {o.invoice.mailTo === undefined ? null : <><dt>邮寄地址</dt><dd>{o.invoice.mailTo.recipient} {o.invoice.mailTo.mobile} {o.invoice.mailTo.region} {o.invoice.mailTo.detail}</dd></>}
        <dt>金额明细</dt>
        <dd>{invoiceLines(o.price, o.package.name).map((l) => <div>{l.name}：金额 {yuan(l.amountFen)}，税率 {l.ratePercent}%，税额 {yuan(l.taxFen)}</div>)}<div>价税合计 {yuan(o.price.payableFen)}</div></dd>
        {r.number === null ? null : <><dt>发票号码</dt><dd class="mono" id="invoice-number">{r.number}</dd></>}
        {r.issuedAt === null ? null : <><dt>开票时间</dt><dd>{time(r.issuedAt)}</dd></>}
        {r.emailedAt === null ? null : <><dt>邮件发送</dt><dd>{time(r.emailedAt)}</dd></>}
        {r.shipment === null ? null : <><dt>寄出</dt><dd>{r.shipment.carrier} 运单号 <span class="mono">{r.shipment.trackingNo}</span>{r.mailedAt === null ? null : ` · ${time(r.mailedAt)}`}</dd></>}
        {r.voidReason === null ? null : <><dt>作废原因</dt><dd>{r.voidReason}</dd></>}
      </dl>
      {r.documentSha256 === null ? null : <p><a href={`/orders/${o.id}/invoice.pdf`} target="_blank">查看发票 PDF</a></p>}
      {p.errors.invoice === undefined ? null : <p class="alert alert-error" role="alert">{p.errors.invoice}</p>}
      {r.status === "pending" && paid ? (
        <form method="post" action={`${base}/issue`} class="form" data-confirm="确定开具发票？开具后不能修改抬头。">
          <CsrfInput token={p.csrf} />
          <p>{paper ? "开具后打印纸质发票，再填写快递信息寄出。" : "开具后自动将 PDF 发票发送至用户邮箱，用户也可在订单详情下载。"}</p>
          <button class="btn btn-primary" type="submit">开具发票</button>
        </form>
      ) : null}
      {r.status === "pending" && !paid ? <p class="muted">订单未支付或已取消 / 退款，不能开票。</p> : null}
      {r.status === "issued" && !paper ? (
        <form method="post" action={`${base}/resend`} class="form">
          <CsrfInput token={p.csrf} />
          <button class="btn btn-secondary" type="submit">重新发送邮件</button>
        </form>
      ) : null}
      {r.status === "issued" && paper ? (
        <form method="post" action={`${base}/mail`} class="form" novalidate>
          <CsrfInput token={p.csrf} />
          <div class="grid-2 tight">
            <div class={`field${p.errors.invoiceCarrier === undefined ? "" : " has-error"}`}>
              <label for="f-invoiceCarrier">快递公司</label>
              <select id="f-invoiceCarrier" name="carrier"><option value="">请选择</option>{CARRIERS.map((c) => <option value={c} selected={p.values.invoiceCarrier === c}>{c}</option>)}</select>
              {p.errors.invoiceCarrier === undefined ? null : <p class="field-error">{p.errors.invoiceCarrier}</p>}
            </div>
            <div class={`field${p.errors.invoiceTrackingNo === undefined ? "" : " has-error"}`}>
              <label for="f-invoiceTrackingNo">运单号</label>
              <input id="f-invoiceTrackingNo" name="trackingNo" maxlength={40} value={p.values.invoiceTrackingNo ?? ""} />
              {p.errors.invoiceTrackingNo === undefined ? null : <p class="field-error">{p.errors.invoiceTrackingNo}</p>}
            </div>
          </div>
          <button class="btn btn-primary" type="submit">发票已寄出</button>
        </form>
      ) : null}
      {(r.status === "issued" || r.status === "mailed") && o.state.status === "refunded" ? (
        <form method="post" action={`${base}/void`} class="form" novalidate data-confirm="确定作废该发票？">
          <CsrfInput token={p.csrf} />
          <div class={`field${p.errors.voidReason === undefined ? "" : " has-error"}`}>
            <label for="f-voidReason">作废原因（订单已退款）</label>
            <input id="f-voidReason" name="voidReason" maxlength={100} value={p.values.voidReason ?? ""} />
            {p.errors.voidReason === undefined ? null : <p class="field-error">{p.errors.voidReason}</p>}
          </div>
          <button class="btn btn-secondary" type="submit">作废发票</button>
        </form>
      ) : null}
    </section>
  )
}
