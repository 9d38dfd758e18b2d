import type { ApiKey, WebhookAttempt, WebhookDelivery, WebhookEndpoint } from "../../../core/api/Api.ts"
import { WEBHOOK_EVENTS } from "../../../core/api/Api.ts"
import { CsrfInput, Field, FormError, Notice, PostButton, type Errors, type Values } from "../../platform/views/form.tsx"
import { beijingMinutes } from "../../../core/kernel/time.ts"

const when = (ms: number | null) => (ms === null ? "—" : beijingMinutes(ms))

export const EVENT_LABELS: Record<(typeof WEBHOOK_EVENTS)[number], string> = {
  "contract.sent": "合同已发起",
  "contract.signed": "签署方已签署",
  "contract.completed": "签约完成",
  "contract.rejected": "已拒签",
  "contract.revoked": "已撤销",
  "contract.expired": "已过期",
}

/** A secret shown this once, with what to do with it. */
const OnceSecret = (p: { title: string; id: string; idLabel: string; secret: string; hint: string }) => (
  <Notice kind="info">
    <strong>{p.title}</strong>
    <dl class="facts">
      <dt>{p.idLabel}</dt><dd class="mono">{p.id}</dd>
      <dt>密钥（Secret）</dt><dd class="mono" data-secret>{p.secret}</dd>
    </dl>
    <p class="hint">{p.hint}</p>
  </Notice>
)

/** 企业工作台 → API 密钥: create (secret shown once), list, revoke. */
export const ApiKeysPage = (p: {
  base: string
  csrf: string
  keys: ReadonlyArray<ApiKey>
  created?: { readonly id: string; readonly secret: string } | undefined
  notice?: string | undefined
  values?: Values | undefined
  errors?: Errors | undefined
}) => (
  <div class="stack">
    {p.created === undefined ? null : (
      <OnceSecret title="API 密钥已创建" id={p.created.id} idLabel="密钥 ID（Credential）" secret={p.created.secret}
        hint="密钥只显示这一次，请立即保存到您的系统中；平台只保存其摘要，无法再次查看。遗失后请撤销并重新创建。" />
    )}
    {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
    <section class="card">
      <h2 class="card-title">创建 API 密钥</h2>
      <p class="muted">调用开放接口 <a href="/api/v1/docs">/api/v1</a> 时用密钥对每个请求签名（HMAC-SHA256），接口只能访问本企业发起的合同。</p>
      <form method="post" action={`${p.base}/api-keys`} class="form compact">
        <CsrfInput token={p.csrf} />
        <FormError errors={p.errors ?? {}} />
        <Field name="name" label="密钥名称" values={p.values} errors={p.errors} placeholder="如：ERP 系统" maxlength={40} required />
        <button class="btn btn-primary" type="submit">创建密钥</button>
      </form>
    </section>
    <section class="card">
      <h2 class="card-title">API 密钥 <span class="muted">（共 {p.keys.length} 个）</span></h2>
      {p.keys.length === 0 ? <p class="empty">暂无 API 密钥</p> : (
        <div class="table-wrap">
          <table class="table table-stack">
            <thead><tr><th>名称</th><th>密钥 ID</th><th>创建时间</th><th>最近使用</th><th>状态</th><th>操作</th></tr></thead>
            <tbody>
              {p.keys.map((k) => (
                <tr>
                  <td data-label="名称">{k.name}</td>
                  <td data-label="密钥 ID" class="mono">{k.id}</td>
                  <td data-label="创建时间">{when(k.createdAt)}</td>
                  <td data-label="最近使用">{when(k.lastUsedAt)}</td>
                  <td data-label="状态">{k.revokedAt === null ? <span class="badge badge-ok">有效</span> : <span class="badge badge-muted">已撤销（{when(k.revokedAt)}）</span>}</td>
                  <td data-label="操作">{k.revokedAt === null
                    ? <PostButton action={`${p.base}/api-keys/${k.id}/revoke`} csrf={p.csrf} label="撤销" variant="danger" confirm={`撤销“${k.name}”？撤销后使用它签名的请求立即失效`} />
                    : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  </div>
)

/** 企业工作台 → Webhooks: register endpoints (secret shown once), list, disable. */
export const WebhooksPage = (p: {
  base: string
  csrf: string
  endpoints: ReadonlyArray<WebhookEndpoint>
  created?: { readonly id: string; readonly secret: string } | undefined
  notice?: string | undefined
  values?: Values | undefined
  checked?: ReadonlyArray<string> | undefined
  errors?: Errors | undefined
}) => (
  <div class="stack">
    {p.created === undefined ? null : (
      <OnceSecret title="Webhook 地址已添加" id={p.created.id} idLabel="地址 ID" secret={p.created.secret}
        hint="用此密钥校验每次推送的 Signet-Signature 头（t=时间戳,v1=HMAC-SHA256(密钥, 时间戳.请求体)）。密钥只显示这一次。" />
    )}
    {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
    <section class="card">
      <h2 class="card-title">添加 Webhook 地址</h2>
      <p class="muted">本企业发起的合同状态变化时，平台向该地址 POST 一条签名的 JSON 事件；返回 2xx 即视为已接收，否则按指数退避重试 24 小时。</p>
      <form method="post" action={`${p.base}/webhooks`} class="form compact">
        <CsrfInput token={p.csrf} />
        <FormError errors={p.errors ?? {}} />
        <Field name="url" label="接收地址（URL）" type="url" values={p.values} errors={p.errors} placeholder="https://erp.example.cn/signet/events" maxlength={500} required
          hint="须为可从公网访问的地址：本机、内网（10.x、172.16-31.x、192.168.x）、链路本地和运营商 NAT 地址不能接收推送；每次推送前都会重新解析域名。" />
        <fieldset class={`field${p.errors?.events === undefined ? "" : " has-error"}`}>
          <legend>订阅事件</legend>
          {WEBHOOK_EVENTS.map((e) => (
            <label class="check"><input type="checkbox" name="events" value={e} checked={(p.checked ?? WEBHOOK_EVENTS).includes(e)} /> {EVENT_LABELS[e]} <code>{e}</code></label>
          ))}
          {p.errors?.events === undefined ? null : <p class="field-error" id="f-events-error">{p.errors.events}</p>}
        </fieldset>
        <button class="btn btn-primary" type="submit">添加</button>
      </form>
    </section>
    <section class="card">
      <h2 class="card-title">Webhook 地址 <span class="muted">（共 {p.endpoints.length} 个）</span></h2>
      {p.endpoints.length === 0 ? <p class="empty">暂无 Webhook 地址</p> : (
        <div class="table-wrap">
          <table class="table table-stack">
            <thead><tr><th>接收地址</th><th>订阅事件</th><th>添加时间</th><th>状态</th><th>操作</th></tr></thead>
            <tbody>
              {p.endpoints.map((e) => (
                <tr>
                  <td data-label="接收地址" class="mono">{e.url}</td>
                  <td data-label="订阅事件">{e.events.map((x) => EVENT_LABELS[x]).join("、")}</td>
                  <td data-label="添加时间">{when(e.createdAt)}</td>
                  <td data-label="状态">{e.disabledAt === null ? <span class="badge badge-ok">启用</span> : <span class="badge badge-muted">已停用</span>}</td>
                  <td data-label="操作"><div class="row-actions">
                    <a href={`${p.base}/webhooks/${e.id}`}>推送记录</a>
                    {e.disabledAt === null ? <PostButton action={`${p.base}/webhooks/${e.id}/disable`} csrf={p.csrf} label="停用" variant="danger" confirm="停用后不再向该地址推送" /> : null}
                  </div></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  </div>
)

const STATUS_LABELS: Record<WebhookDelivery["status"], string> = { pending: "推送中", delivered: "已接收", failed: "已放弃" }

/** One endpoint's deliveries, every attempt with the receiver's answer, and a replay button each. */
export const DeliveriesPage = (p: {
  base: string
  csrf: string
  endpoint: WebhookEndpoint
  deliveries: ReadonlyArray<{ readonly delivery: WebhookDelivery; readonly attempts: ReadonlyArray<WebhookAttempt> }>
  notice?: string | undefined
}) => (
  <div class="stack">
    <p><a href={`${p.base}/webhooks`}>← 返回 Webhook 地址</a></p>
    {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
    <section class="card">
      <h2 class="card-title">推送记录 <span class="muted mono">{p.endpoint.url}</span></h2>
      {p.deliveries.length === 0 ? <p class="empty">暂无推送</p> : (
        <div class="table-wrap">
          <table class="table table-stack">
            <thead><tr><th>事件</th><th>合同编号</th><th>排队时间</th><th>状态</th><th>每次推送（时间 · 响应）</th><th>操作</th></tr></thead>
            <tbody>
              {p.deliveries.map(({ delivery: d, attempts }) => (
                <tr>
                  <td data-label="事件">{EVENT_LABELS[d.eventType]} <code>{d.eventType}</code></td>
                  <td data-label="合同编号" class="mono">{d.contractId}</td>
                  <td data-label="排队时间">{when(d.createdAt)}</td>
                  <td data-label="状态">{STATUS_LABELS[d.status]}（{d.attempts} 次）</td>
                  <td data-label="每次推送"><ol class="attempts">{attempts.map((a) => <li>{when(a.at)} · {a.statusCode === null ? (a.error ?? "无响应") : `HTTP ${a.statusCode}`}</li>)}</ol></td>
                  <td data-label="操作"><PostButton action={`${p.base}/webhooks/${p.endpoint.id}/deliveries/${d.id}/replay`} csrf={p.csrf} label="重新推送" /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  </div>
)
