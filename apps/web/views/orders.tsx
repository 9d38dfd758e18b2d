import type { Order, OrderHistoryEntry, OrderTab } from "../../../core/orders/Order.ts"
import { MATERIAL_SLOTS } from "../../../core/orders/orderMaterials.ts"
import { Notice, PostButton } from "../../platform/views/form.tsx"
import { certificateInfo } from "../../../core/orders/certificateInfo.ts"
import { invoiceMedium } from "../../../core/orders/Invoice.ts"
import { beijingDay } from "../../../core/kernel/time.ts"
import { businessText, invoiceStateText, MoneyFacts, OrderStatusBadge, paymentMethodText, PriceTable, slotText, Timeline, time, yuan } from "./ordersText.tsx"

const zhDate = (ms: number) => beijingDay(ms)

/** O9 tabs of 我的订单 (个人中心), with 已关闭 for cancelled and refunded orders. */
export const ORDER_TAB_TEXT: ReadonlyArray<readonly [OrderTab, string]> = [
  ["unpaid", "待支付订单"], ["in_review", "审核中订单"], ["processing", "待处理订单"], ["receiving", "待收货订单"], ["completed", "已完成"], ["closed", "已关闭"],
]

const RowActions = (p: { order: Order; csrf: string }) => {
  const o = p.order
  return (
    <div class="row-actions">
      <a href={`/orders/${o.id}`}>查看</a>
      {o.state.status === "pending_payment" ? (
        <>
          <a href={`/orders/${o.id}/pay`}>去支付</a>
          <PostButton action={`/orders/${o.id}/cancel`} csrf={p.csrf} label="取消订单" confirm="确定取消该订单？" variant="danger" />
        </>
      ) : null}
      {o.state.status === "rejected" ? <a href={`/orders/${o.id}/edit`}>修改订单</a> : null}
    </div>
  )
}

export const OrderList = (p: { tab: OrderTab; orders: ReadonlyArray<Order>; csrf: string; notice?: string | undefined }) => (
  <section class="card">
    {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
    <div class="list-head">
      <nav class="tabs" aria-label="订单状态">
        {ORDER_TAB_TEXT.map(([t, label]) => <a class={`tab${t === p.tab ? " active" : ""}`} href={`/orders?tab=${t}`} aria-current={t === p.tab ? "page" : undefined}>{label}</a>)}
      </nav>
      <a class="btn btn-primary" href="/orders/shop">申请电子签章</a>
    </div>
    {p.orders.length === 0 ? <p class="empty">暂无订单</p> : (
      <div class="table-wrap">
        <table class="table table-stack" id="orders">
          <thead><tr><th>订单号</th><th>业务类型</th><th>套餐</th><th>应付金额</th><th>下单时间</th><th>状态</th><th>操作</th></tr></thead>
          <tbody>
            {p.orders.map((o) => (
              <tr data-order={o.id}>
                <td data-label="订单号" class="mono">{o.id}</td>
                <td data-label="业务类型">{businessText(o)}</td>
                <td data-label="套餐">{o.package.name}</td>
                <td data-label="应付金额">{yuan(o.price.payableFen)}</td>
                <td data-label="下单时间">{time(o.createdAt)}</td>
                <td data-label="状态"><OrderStatusBadge status={o.state.status} /></td>
                <td data-label="操作"><RowActions order={o} csrf={p.csrf} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
    <div class="pager"><span>共 {p.orders.length} 条</span></div>
  </section>
)

/** O9 order detail: state, what to do next, application, delivery, invoice, price, timeline. */
export const OrderDetail = (p: { order: Order; history: ReadonlyArray<OrderHistoryEntry>; csrf: string; notice?: string | undefined; error?: string | undefined }) => {
  const o = p.order
  const s = o.state
  const a = o.application
  return (
    <div class="stack">
      {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
      {p.error === undefined ? null : <div class="alert alert-error" role="alert">{p.error}</div>}
      <section class="card">
        <div class="detail-head">
          <h2 class="card-title">订单 <span class="mono">{o.id}</span> <OrderStatusBadge status={s.status} /></h2>
          <div class="row-actions">
            {s.status === "pending_payment" ? (
              <>
                <a class="btn btn-primary" href={`/orders/${o.id}/pay`}>去支付</a>
                <PostButton action={`/orders/${o.id}/payment-status`} csrf={p.csrf} label="查询支付结果" variant="ghost" />
                <PostButton action={`/orders/${o.id}/cancel`} csrf={p.csrf} label="取消订单" confirm="确定取消该订单？" variant="danger" />
              </>
            ) : null}
            {s.status === "rejected" ? <a class="btn btn-primary" href={`/orders/${o.id}/edit`}>修改订单</a> : null}
            {s.status === "shipped" ? <PostButton action={`/orders/${o.id}/receipt`} csrf={p.csrf} label="确认收货" confirm="确认已收到 USB-Key？" /> : null}
          </div>
        </div>
        {s.status !== "rejected" ? null : (
          <div class="alert alert-error rejection" role="alert" id="reject-reasons">
            <strong>审核不通过</strong>
            <ul>{s.rejectReasons.map((r) => <li>{r}</li>)}</ul>
            <p>请点击“修改订单”，修改后重新提交审核。</p>
          </div>
        )}
        {s.status === "awaiting_pickup" && o.delivery._tag === "pickup" ? (
          <div class="alert alert-info" role="status">USB-Key 已制作完成，请携带身份证到 <strong>{o.delivery.name}</strong> 自提：{o.delivery.address}，电话 {o.delivery.phone}，{o.delivery.hours}。</div>
        ) : null}
        <dl class="facts">
          <dt>业务类型</dt><dd>{businessText(o)}</dd>
          <dt>套餐</dt><dd>{o.package.name}（{o.package.years} 年，USB-Key {o.package.keyType === "main" ? "主锁" : "副锁"}）</dd>
          <dt>下单时间</dt><dd>{time(o.createdAt)}</dd>
          {s.payment === null ? null : <><dt>支付方式</dt><dd id="payment-method">{paymentMethodText(p.history)}</dd></>}
          {s.certificateSerial === null ? null : <><dt>证书序列号</dt><dd class="mono">{s.certificateSerial}</dd></>}
          {s.shipment === null ? null : <><dt>物流</dt><dd>{s.shipment.carrier} · 运单号 <span class="mono">{s.shipment.trackingNo}</span></dd></>}
        </dl>
        <MoneyFacts state={s} />
      </section>
      <CertificateCard order={o} />
      <section class="card">
        <h2 class="card-title">申请信息</h2>
        <dl class="facts">
          <dt>用户类型</dt><dd>{a.userType}</dd>
          {a.enterprise === null ? null : <><dt>企业名称</dt><dd>{a.enterprise.name}</dd><dt>统一社会信用代码</dt><dd>{a.enterprise.creditCode}</dd></>}
          <dt>{a.applicant === "enterprise" ? "法定代表人" : "申请人"}</dt><dd>{a.holder.name}</dd>
          <dt>经办人</dt><dd>{a.agent.name} · {a.agent.mobile} · {a.agent.email}</dd>
          {a.lostCertificateSerial === null ? null : <><dt>原证书序列号</dt><dd class="mono">{a.lostCertificateSerial}</dd></>}
          <dt>申请材料</dt>
          <dd>{MATERIAL_SLOTS.filter((slot) => a.materials[slot] !== null).map((slot) => <a href={`/verification/files/${a.materials[slot]}`} target="_blank" style="margin-right:.8rem">{slotText(slot, a.applicant)}</a>)}</dd>
        </dl>
      </section>
      <section class="card">
        <h2 class="card-title">配送与发票</h2>
        <dl class="facts">
          {o.delivery._tag === "express"
            ? <><dt>快递配送</dt><dd>{o.delivery.recipient} {o.delivery.mobile} {o.delivery.region} {o.delivery.detail}</dd></>
            : <><dt>上门自提</dt><dd>{o.delivery.name}：{o.delivery.address}，电话 {o.delivery.phone}，{o.delivery.hours}</dd></>}
          <dt>发票</dt><dd>{invoiceMedium(o.invoice) === "paper" ? "纸质发票（邮寄）" : "电子发票（发送至邮箱，可在此下载）"} · <strong id="invoice-state">{invoiceStateText(o)}</strong></dd>
          <dt>发票抬头</dt><dd>{o.invoice.title}（{o.invoice.kind === "enterprise" ? "单位" : "个人"}）</dd>
          {o.invoice.taxpayerId === null ? null : <><dt>纳税人识别号</dt><dd class="mono">{o.invoice.taxpayerId}</dd></>}
          <dt>{invoiceMedium(o.invoice) === "paper" ? "通知邮箱" : "发票邮箱"}</dt><dd>{o.invoice.email}</dd>
          {o.invoice.mailTo === undefined ? null : <><dt>发票邮寄地址</dt><dd>{o.invoice.mailTo.recipient} {o.invoice.mailTo.mobile} {o.invoice.mailTo.region} {o.invoice.mailTo.detail}</dd></>}
          {o.invoiceRecord.number === null ? null : <><dt>发票号码</dt><dd class="mono">{o.invoiceRecord.number}</dd></>}
          {o.invoiceRecord.shipment === null ? null : <><dt>发票快递</dt><dd id="invoice-shipment">{o.invoiceRecord.shipment.carrier} · 运单号 <span class="mono">{o.invoiceRecord.shipment.trackingNo}</span></dd></>}
          {o.invoiceRecord.status === "pending" && s.payment !== null ? <><dt>开票说明</dt><dd class="muted">支付完成后由工作人员开具发票，开具后{invoiceMedium(o.invoice) === "paper" ? "邮寄并短信通知运单号" : "发送至发票邮箱并短信通知"}。</dd></> : null}
        </dl>
        {invoiceMedium(o.invoice) === "electronic" && o.invoiceRecord.documentSha256 !== null && o.invoiceRecord.status !== "voided"
          ? <p><a class="btn btn-secondary" id="invoice-download" href={`/orders/${o.id}/invoice.pdf`}>下载电子发票（PDF）</a></p>
          : null}
      </section>
      <section class="card">
        <h2 class="card-title">费用明细</h2>
        <PriceTable price={o.price} />
      </section>
      <section class="card">
        <h2 class="card-title">订单进度</h2>
        <Timeline history={p.history} />
      </section>
      <p><a href="/orders">返回我的订单</a></p>
    </div>
  )
}

/**
 * The certificate on the buyer's USB-Key (serial, validity, issuer; .cer download) and how its PIN reaches them:
 * the initial PIN travels sealed with the key, never by text message or e-mail.
 */
const CertificateCard = (p: { order: Order }) => {
  const o = p.order
  const cert = certificateInfo(o.certificateDer)
  if (o.state.certificateSerial === null) return null
  const handover = o.delivery._tag === "express" ? "随 USB-Key 快递寄送" : "在自提点与 USB-Key 当面交付"
  return (
    <section class="card" id="certificate">
      <h2 class="card-title">数字证书</h2>
      <dl class="facts">
        <dt>证书序列号</dt><dd class="mono" id="certificate-serial">{cert?.serialHex ?? o.state.certificateSerial}</dd>
        {cert === null ? null : (
          <>
            <dt>证书持有人</dt><dd>{cert.subject}</dd>
            <dt>颁发机构</dt><dd id="certificate-issuer">{cert.issuer}</dd>
            <dt>有效期</dt><dd id="certificate-validity">{zhDate(cert.notBefore)} 至 {zhDate(cert.notAfter)}</dd>
          </>
        )}
        <dt>PIN 码</dt>
        <dd id="pin-delivery">USB-Key 的初始 PIN 码印在密封的 PIN 码信封中，{handover}；不会通过短信或邮件发送。首次使用请在 USB-Key 管理工具中修改 PIN 码，连续输错将锁定。</dd>
      </dl>
      {cert === null ? null : <p><a class="btn btn-secondary" id="certificate-download" href={`/orders/${o.id}/certificate.cer`}>下载证书（.cer）</a></p>}
    </section>
  )
}

/** O6 去支付: the amount the server priced, then off to the provider's checkout. */
export const PayPage = (p: { order: Order; csrf: string; error?: string | undefined }) => (
  <section class="card">
    {p.error === undefined ? null : <div class="alert alert-error" role="alert">{p.error}</div>}
    <h2 class="card-title">订单已提交，请尽快支付</h2>
    <dl class="facts">
      <dt>订单号</dt><dd class="mono">{p.order.id}</dd>
      <dt>商品</dt><dd>电子签章（含数字证书）{p.order.package.name}</dd>
    </dl>
    <PriceTable price={p.order.price} />
    <form method="post" action={`/orders/${p.order.id}/pay`} class="form">
      <input type="hidden" name="_csrf" value={p.csrf} />
      <p>支付方式：支付宝（扫码支付）或 中金支付（网银，选择银行），在支付页面选择。</p>
      <button class="btn btn-primary" type="submit">去支付 {yuan(p.order.price.payableFen)}</button>
    </form>
    <p><a href={`/orders/${p.order.id}`}>查看订单</a></p>
  </section>
)

/**
 * O6: back from the provider. The buttons only lead to lists: whether the
 * order is paid is decided by the provider's signed notification, not here.
 */
export const PayReturn = (p: { order: Order | null; csrf: string }) => (
  <section class="card">
    <h2 class="card-title">请确认支付结果</h2>
    <p>请在支付页面完成支付后，根据支付结果点击下方按钮。</p>
    {p.order === null ? null : (
      <p>订单 <span class="mono">{p.order.id}</span> 当前状态：<OrderStatusBadge status={p.order.state.status} />
        {p.order.state.status === "pending_payment" ? <span class="muted">（尚未收到支付平台的支付通知）</span> : null}</p>
    )}
    <div class="row-actions">
      <a class="btn btn-primary" href="/orders?tab=in_review">支付成功</a>
      <a class="btn btn-secondary" href="/orders?tab=unpaid">支付失败</a>
      {p.order?.state.status === "pending_payment" ? <PostButton action={`/orders/${p.order.id}/payment-status`} csrf={p.csrf} label="查询支付结果" variant="ghost" /> : null}
    </div>
  </section>
)
