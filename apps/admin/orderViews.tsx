import type { Child } from "hono/jsx"
import type { Order, OrderHistoryEntry } from "../../core/orders/Order.ts"
import { MATERIAL_SLOTS, OCR_SLOTS, type FieldReading, type MaterialSlot } from "../../core/orders/orderMaterials.ts"
import { CsrfInput, FormError, Notice, type Errors } from "../platform/views/form.tsx"
import { PdfPreview } from "./views.tsx"
import { InvoiceCard } from "./orderSearchViews.tsx"
import { yuanString } from "../../core/orders/Money.ts"
import { refundableOn, refundDue, refusedTrades } from "../../core/orders/orderMoney.ts"
import { businessText, invoiceStateText, MoneyFacts, OrderStatusBadge, paymentMethodText, PriceTable, slotText, Timeline, time, yuan } from "../web/views/ordersText.tsx"

/** X2 order queues: review (paid, in review), fulfil (approved, certificate made), handover (shipped, awaiting pickup). */
export const QUEUES = [["review", "订单审核"], ["fulfil", "订单履约（制证、发货、自提）"], ["handover", "待收货 / 待自提"], ["refunds", "待退款"]] as const
export type Queue = (typeof QUEUES)[number][0]

/** Orders as a table (queues and search results), each row linking to the order. */
export const OrderTable = (p: { orders: ReadonlyArray<Order>; id?: string; action?: string | undefined }) => (
  <div class="table-wrap">
    <table class="table table-stack" id={p.id ?? "order-queue"}>
      <thead><tr><th>订单号</th><th>业务类型</th><th>申请方</th><th>经办人</th><th>套餐</th><th>配送</th><th>下单时间</th><th>状态</th><th>操作</th></tr></thead>
      <tbody>
        {p.orders.map((o) => (
          <tr data-order={o.id}>
            <td data-label="订单号" class="mono">{o.id}</td>
            <td data-label="业务类型">{businessText(o)}</td>
            <td data-label="申请方">{o.application.enterprise?.name ?? o.application.holder.name}</td>
            <td data-label="经办人">{o.application.agent.name} · {o.application.agent.mobile}</td>
            <td data-label="套餐">{o.package.name}</td>
            <td data-label="配送">{o.delivery._tag === "express" ? "快递" : `自提（${o.delivery.name}）`}</td>
            <td data-label="下单时间">{time(o.createdAt)}</td>
            <td data-label="状态"><OrderStatusBadge status={o.state.status} />{o.state.reviewRounds > 0 && o.state.status === "in_review" ? <span class="badge">第 {o.state.reviewRounds + 1} 次提交</span> : null}</td>
            <td data-label="操作"><a href={`/orders/${o.id}`}>{o.state.status === "in_review" ? "审核" : p.action ?? "处理"}</a></td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
)

export const OrderQueue = (p: { queue: Queue; orders: ReadonlyArray<Order>; notice?: string | undefined; error?: string | undefined }) => (
  <div class="stack">
    {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
    {p.error === undefined ? null : <div class="alert alert-error" role="alert">{p.error}</div>}
    <section class="card">
      <div class="list-head">
        <nav class="tabs" aria-label="队列">
          {QUEUES.map(([q, label]) => <a class={`tab${q === p.queue ? " active" : ""}`} href={`/orders?queue=${q}`}>{label}</a>)}
        </nav>
        <form method="get" action="/orders/lookup" class="search" role="search">
          <input name="no" placeholder="订单号" inputmode="numeric" maxlength={19} aria-label="按订单号查找" />
          <button class="btn btn-secondary" type="submit">查找</button>
          <a href="/orders/search">高级查询</a>
        </form>
      </div>
      {p.orders.length === 0 ? <p class="empty">队列为空。</p> : <OrderTable orders={p.orders} action={p.queue === "refunds" ? "退款" : undefined} />}
    </section>
  </div>
)

/** OCR next to what was typed; a mismatch is flagged for the reviewer (O7). */
export const OcrResult = (p: { readings: ReadonlyArray<FieldReading> }) => (
  <dl class="facts ocr-result">
    {p.readings.map((r) => (
      <>
        <dt>{r.label === "name" ? "名称" : "号码"}</dt>
        <dd data-field={r.label}>
          填写 <strong>{r.typed}</strong> · 识别 {r.read ?? <span class="muted">未识别</span>}
          {r.confidence === null ? null : <span class="muted">（{Math.round(r.confidence * 100)}%）</span>}{" "}
          {r.read === null ? null : r.read === r.typed ? <span class="badge badge-ok">一致</span> : <span class="badge">不一致</span>}
        </dd>
      </>
    ))}
  </dl>
)

const Material = (p: { order: Order; slot: MaterialSlot; pdf: boolean }) => {
  const id = p.order.application.materials[p.slot]
  const src = `/orders/${p.order.id}/files/${id}`
  const ocr = (OCR_SLOTS as ReadonlyArray<string>).includes(p.slot)
  return (
    <figure class="review-file" data-slot={p.slot}>
      <figcaption>{slotText(p.slot, p.order.application.applicant)} · <a href={src} target="_blank">新窗口打开</a></figcaption>
      {p.pdf ? <PdfPreview src={src} label={slotText(p.slot, p.order.application.applicant)} /> : <a href={src} target="_blank"><img src={src} alt={slotText(p.slot, p.order.application.applicant)} /></a>}
      {ocr ? (
        <div class="ocr" id={`ocr-${p.slot}`} hx-get={`/orders/${p.order.id}/ocr/${p.slot}`} hx-trigger="load" hx-swap="innerHTML">
          <a href={`/orders/${p.order.id}/ocr/${p.slot}`}>查看识别结果</a>
        </div>
      ) : null}
    </figure>
  )
}

export interface LostCertificateCheck {
  readonly serial: string
  readonly orders: ReadonlyArray<string>
  readonly sameHolder: boolean
}

const COMMON_REASONS = [
  "营业执照照片不清晰或不完整",
  "身份证照片不清晰或已过期",
  "申请表未加盖公章",
  "《授权委托及诚信承诺书》未加盖公章或未签字",
  "《服务协议》未签字盖章",
  "填写信息与证件不一致",
]

const CARRIERS = ["顺丰速运", "中国邮政 EMS", "京东物流", "圆通速递", "中通快递"]

const Field = (p: { name: string; label: string; errors: Errors; children: Child }) => (
  <div class={`field${p.errors[p.name] === undefined ? "" : " has-error"}`}>
    <label for={`f-${p.name}`}>{p.label}</label>
    {p.children}
    {p.errors[p.name] === undefined ? null : <p class="field-error" id={`f-${p.name}-error`}>{p.errors[p.name]}</p>}
  </div>
)

/** What staff may do next with the order, by state (O7 review, O8 fulfilment, refunds). */
const Actions = (p: { order: Order; csrf: string; errors: Errors; values: Readonly<Record<string, string>>; lostCheckFailed: boolean }) => {
  const o = p.order
  const base = `/orders/${o.id}`
  const s = o.state.status
  const refundable = o.state.payment === null ? 0 : refundableOn(o.state, o.state.payment.tradeNo)
  const refund = (
    <form method="post" action={`${base}/refund`} class="form" id="refund-form" novalidate
      data-confirm={`确定通过支付平台向用户退款？可退 ${yuan(refundable)}，退款按所填金额原路退回，退款后订单关闭，用户将收到短信和邮件。`}>
      <CsrfInput token={p.csrf} />
      <div class="grid-2 tight">
        <Field name="refundAmount" label={`退款金额（元，全额 ${yuanString(refundable)}，可部分退款）`} errors={p.errors}>
          <input id="f-refundAmount" name="refundAmount" inputmode="decimal" maxlength={12} value={p.values.refundAmount ?? yuanString(refundable)} />
        </Field>
        <Field name="refundReason" label={s === "approved" ? "无法制证时退款（原因，用户可见）" : "用户放弃补正材料时退款（原因，用户可见）"} errors={p.errors}>
          <input id="f-refundReason" name="refundReason" maxlength={100} value={p.values.refundReason ?? ""} />
        </Field>
      </div>
      <button class="btn btn-secondary" type="submit">退款</button>
    </form>
  )
  // 待退款: a refund the provider refused or did not answer, or late money; asked again (an open refund under its own number, so it cannot pay twice).
  const retry = (
    <div class="grid-2">
      <form method="post" action={`${base}/retry-refund`} class="form" id="retry-refund" data-confirm="确定重新向支付平台发起退款？">
        <CsrfInput token={p.csrf} />
        <p>该订单有款项尚未退回用户（见上方“支付”）。支付平台恢复后重新发起退款；同一退款单号不会重复退款。</p>
        <button class="btn btn-primary" type="submit">重新发起退款</button>
      </form>
      {refusedTrades(o.state).length > 0 ? (
        <form method="post" action={`${base}/offline-refund`} class="form" id="offline-refund" novalidate
          data-confirm="确认款项已通过其他方式（如银行转账）退回用户？确认后记为已退款并通知用户，不再通过支付平台退款。">
          <CsrfInput token={p.csrf} />
          <Field name="offlineReference" label="支付平台拒绝退款时：线下退款方式及流水号（用户可见）" errors={p.errors}>
            <input id="f-offlineReference" name="offlineReference" maxlength={100} value={p.values.offlineReference ?? ""} placeholder="如：已通过银行转账退回，流水号 …" />
          </Field>
          <button class="btn btn-secondary" type="submit">已线下退款</button>
        </form>
      ) : null}
    </div>
  )
  if (refundDue(o.state)) return retry
  switch (s) {
    case "in_review":
      return (
        <div class="grid-2">
          {p.lostCheckFailed ? (
            <div class="form">
              <p class="alert alert-error" role="alert" id="approve-blocked">原证书核验未通过（见上方“补办：原证书”），不能审核通过，请审核不通过并说明原因。</p>
            </div>
          ) : (
            <form method="post" action={`${base}/approve`} class="form">
              <CsrfInput token={p.csrf} />
              <p>核对材料与 OCR 识别结果无误后通过，订单进入待处理（制证）。</p>
              <button class="btn btn-primary" type="submit">审核通过</button>
            </form>
          )}
          <form method="post" action={`${base}/reject`} class="form" novalidate>
            <CsrfInput token={p.csrf} />
            <Field name="reasons" label="审核不通过原因（用户可见，可多选）" errors={p.errors}>
              <div>{COMMON_REASONS.map((r) => <label class="check" style="display:block"><input type="checkbox" name="reason" value={r} /> {r}</label>)}</div>
              <textarea id="f-reasons" name="other" rows={3} maxlength={500} placeholder="其他原因，每行一条">{p.values.other ?? ""}</textarea>
            </Field>
            <button class="btn btn-secondary" type="submit">审核不通过</button>
          </form>
        </div>
      )
    case "approved":
      return (
        <div class="grid-2">
          <form method="post" action={`${base}/make-key`} class="form" data-confirm="确定制作 USB-Key？">
            <CsrfInput token={p.csrf} />
            <p>在标签为订单号 <span class="mono">{o.id}</span> 的 USB-Key 中生成密钥，由 CA 签发证书并写入{o.application.business === "reissue" ? "；原证书同时吊销" : ""}。</p>
            <button class="btn btn-primary" type="submit">制作 USB-Key</button>
          </form>
          {refund}
        </div>
      )
    case "certificate_made":
      return o.delivery._tag === "express" ? (
        <form method="post" action={`${base}/ship`} class="form" novalidate>
          <CsrfInput token={p.csrf} />
          <p>寄往：{o.delivery.recipient} {o.delivery.mobile} {o.delivery.region} {o.delivery.detail}</p>
          <div class="grid-2 tight">
            <Field name="carrier" label="快递公司" errors={p.errors}>
              <select id="f-carrier" name="carrier"><option value="">请选择</option>{CARRIERS.map((c) => <option value={c} selected={p.values.carrier === c}>{c}</option>)}</select>
            </Field>
            <Field name="trackingNo" label="运单号" errors={p.errors}>
              <input id="f-trackingNo" name="trackingNo" maxlength={40} value={p.values.trackingNo ?? ""} />
            </Field>
          </div>
          <button class="btn btn-primary" type="submit">发货</button>
        </form>
      ) : (
        <form method="post" action={`${base}/notify-pickup`} class="form">
          <CsrfInput token={p.csrf} />
          <p>自提点：{o.delivery.name}（{o.delivery.address}）。发送自提通知（短信和邮件）给经办人。</p>
          <button class="btn btn-primary" type="submit">通知自提</button>
        </form>
      )
    case "shipped":
      return (
        <form method="post" action={`${base}/complete`} class="form" data-confirm="确认快递已签收？">
          <CsrfInput token={p.csrf} />
          <p>{o.state.shipment?.carrier} 运单号 {o.state.shipment?.trackingNo}。快递签收后（或用户确认收货）订单完成。</p>
          <button class="btn btn-primary" type="submit">确认已签收</button>
        </form>
      )
    case "awaiting_pickup":
      return (
        <form method="post" action={`${base}/confirm-pickup`} class="form" data-confirm="确认用户已当面领取 USB-Key？">
          <CsrfInput token={p.csrf} />
          <p>核对领取人身份证后交付 USB-Key 及 PIN 码信封。</p>
          <button class="btn btn-primary" type="submit">确认已自提</button>
        </form>
      )
    case "rejected":
      return refund
    default:
      return <p class="muted">订单已结束，款项已结清，无可执行操作。</p>
  }
}

export interface StaffOrderData {
  readonly order: Order
  readonly history: ReadonlyArray<OrderHistoryEntry>
  readonly staffNames: Readonly<Record<string, string>>
  readonly pdfSlots: ReadonlyArray<MaterialSlot>
  readonly lost: LostCertificateCheck | null
}

/** X2 order review and fulfilment: the application, its materials with OCR side by side, and the next step. */
export const StaffOrderDetail = (p: { data: StaffOrderData; csrf: string; errors?: Errors | undefined; values?: Readonly<Record<string, string>> | undefined; notice?: string | undefined }) => {
  const { order: o, history } = p.data
  const a = o.application
  const errors = p.errors ?? {}
  return (
    <div class="stack">
      {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
      <FormError errors={errors} />
      <section class="card">
        <h2 class="card-title">订单 <span class="mono">{o.id}</span> <OrderStatusBadge status={o.state.status} /></h2>
        <div class="grid-2">
          <dl class="facts">
            <dt>业务类型</dt><dd>{businessText(o)} · {a.userType}</dd>
            <dt>套餐</dt><dd>{o.package.name}（{o.package.years} 年）</dd>
            {a.enterprise === null ? null : <><dt>企业名称</dt><dd>{a.enterprise.name}</dd><dt>统一社会信用代码</dt><dd class="mono">{a.enterprise.creditCode}</dd></>}
            <dt>{a.applicant === "enterprise" ? "法定代表人" : "申请人"}</dt><dd>{a.holder.name} · <span class="mono">{a.holder.idNumber}</span></dd>
            <dt>经办人</dt><dd>{a.agent.name} · <span class="mono">{a.agent.idNumber}</span> · {a.agent.mobile} · {a.agent.email}</dd>
          </dl>
          <dl class="facts">
            {o.state.payment === null ? null : <><dt>支付方式</dt><dd>{paymentMethodText(history)}</dd></>}
            <dt>配送</dt><dd>{o.delivery._tag === "express" ? `快递：${o.delivery.recipient} ${o.delivery.region} ${o.delivery.detail}` : `自提：${o.delivery.name}`}</dd>
            <dt>发票</dt><dd>{o.invoice.title}{o.invoice.taxpayerId === null ? "" : ` · ${o.invoice.taxpayerId}`} · {invoiceStateText(o)}（<a href="#invoice">详情</a>）</dd>
            {o.state.certificateSerial === null ? null : <><dt>证书序列号</dt><dd class="mono" id="certificate-serial">{o.state.certificateSerial}</dd></>}
            {o.state.rejectReasons.length === 0 ? null : <><dt>上次不通过原因</dt><dd>{o.state.rejectReasons.join("；")}</dd></>}
          </dl>
        </div>
        <MoneyFacts state={o.state} staff />
        <PriceTable price={o.price} />
      </section>
      {p.data.lost === null ? null : (
        <section class="card" id="lost-certificate">
          <h2 class="card-title">补办：原证书</h2>
          <p>原证书序列号 <span class="mono">{p.data.lost.serial}</span>：
            {p.data.lost.orders.length === 0
              ? <span class="badge">本平台没有该证书的签发记录，不能补办：请审核不通过并说明原因</span>
              : p.data.lost.sameHolder
              ? <span class="badge badge-ok">本平台订单 {p.data.lost.orders.join("、")} 签发，持有人一致</span>
              : <span class="badge">本平台签发给其他持有人（订单 {p.data.lost.orders.join("、")}），不能补办</span>}
          </p>
        </section>
      )}
      <section class="card">
        <h2 class="card-title">申请材料</h2>
        <div class="review-files">
          {MATERIAL_SLOTS.filter((s) => a.materials[s] !== null).map((s) => <Material order={o} slot={s} pdf={p.data.pdfSlots.includes(s)} />)}
        </div>
      </section>
      <section class="card">
        <h2 class="card-title">{o.state.status === "in_review" ? "审核" : "处理"}</h2>
        <Actions order={o} csrf={p.csrf} errors={errors} values={p.values ?? {}} lostCheckFailed={p.data.lost !== null && !p.data.lost.sameHolder} />
      </section>
      <InvoiceCard order={o} csrf={p.csrf} errors={errors} values={p.values ?? {}} />
      <section class="card">
        <h2 class="card-title">订单记录</h2>
        <Timeline history={history} staffNames={p.data.staffNames} />
      </section>
      <p><a href="/orders">返回订单队列</a></p>
    </div>
  )
}


/** X2 dashboard tiles of the order queues, with what each holds. */
export const OrderTiles = (p: { counts: Readonly<Record<Queue, number>>; invoices?: number | undefined }) => (
  <div class="tiles" id="order-tiles">
    {QUEUES.map(([q, label]) => (
      <a class="tile" href={`/orders?queue=${q}`}><strong>{label}</strong><span>电子签章/数字证书订单</span><span class="count">{p.counts[q]} 待处理</span></a>
    ))}
    {p.invoices === undefined ? null : (
      <a class="tile" href="/orders/invoices"><strong>发票</strong><span>待开票（电子发票、纸质发票）与待寄出</span><span class="count">{p.invoices} 待开票</span></a>
    )}
  </div>
)
