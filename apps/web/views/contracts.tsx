import type { Contract, ContractHistoryEntry } from "../../../core/contracts/Contract.ts"
import { maskMobile } from "../../../core/kernel/Mobile.ts"
import { CsrfInput, Field, FormError, Notice, PostButton, type Errors, type Values } from "../../platform/views/form.tsx"

const time = (ms: number | null) => ms === null ? "—" : new Date(ms).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false })

/** C6: the statuses a user sees. */
export const statusLabel: Record<Contract["status"], string> = {
  draft: "草稿", inProgress: "签署中", completed: "签署成功", rejected: "已拒签", revoked: "已撤销", expired: "已过期",
}
const statusBadge: Record<Contract["status"], string> = {
  draft: "badge-warn", inProgress: "badge-info", completed: "badge-ok", rejected: "", revoked: "badge-muted", expired: "badge-muted",
}
const partyLabel = { waiting: "未签署", signed: "已完成", rejected: "已拒签" } as const

export const Status = (p: { status: Contract["status"] }) => <span class={`badge ${statusBadge[p.status]}`}>{statusLabel[p.status]}</span>

export type Tab = "all" | "mine" | "others" | "soon" | "rejected"
export const tabs: ReadonlyArray<[Tab, string]> = [["all", "全部"], ["mine", "需要我操作的"], ["others", "需要他人签署"], ["soon", "即将截止签约"], ["rejected", "已拒签"]]

/** C7 我的签约: tabs, search, table, pagination (共 N 条). */
export const ContractList = (p: { items: ReadonlyArray<Contract>; total: number; tab: Tab; q: string; page: number; pageSize: number }) => {
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize))
  const href = (tab: Tab, page = 1) => `/contracts?tab=${tab}&q=${encodeURIComponent(p.q)}&page=${page}`
  return (
    <section class="card" id="contract-list">
      <div class="list-head">
        <nav class="tabs" aria-label="筛选">
          {tabs.map(([t, label]) => <a class={`tab${t === p.tab ? " active" : ""}`} href={href(t)}>{label}</a>)}
        </nav>
        <form method="get" action="/contracts" class="search">
          <input type="hidden" name="tab" value={p.tab} />
          <input name="q" value={p.q} placeholder="合同名称" aria-label="按合同名称搜索" />
          <button class="btn btn-secondary" type="submit">搜索</button>
          <a class="btn btn-primary" href="/contracts/new">发起签约</a>
        </form>
      </div>
      {p.items.length === 0 ? <p class="empty">暂无合同</p> : (
        <div class="table-wrap">
          <table class="table table-stack">
            <thead><tr><th>合同名称</th><th>签署方</th><th>签约编号</th><th>发起时间</th><th>截止时间</th><th>状态</th><th>操作</th></tr></thead>
            <tbody>
              {p.items.map((c) => (
                <tr>
                  <td data-label="合同名称"><a href={`/contracts/${c.id}`}>{c.name}</a></td>
                  <td data-label="签署方">{c.parties.map((x) => x.name).join("、")}</td>
                  <td data-label="签约编号" class="mono">{c.id}</td>
                  <td data-label="发起时间">{time(c.sentAt ?? c.createdAt)}</td>
                  <td data-label="截止时间">{time(c.deadline)}</td>
                  <td data-label="状态"><Status status={c.status} /></td>
                  <td data-label="操作"><a href={`/contracts/${c.id}`}>{c.status === "inProgress" ? "查看 / 签署" : "查看"}</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="pager">
        <span>共 {p.total} 条</span>
        {p.page > 1 ? <a href={href(p.tab, p.page - 1)}>上一页</a> : null}
        <span>第 {p.page} / {pages} 页</span>
        {p.page < pages ? <a href={href(p.tab, p.page + 1)}>下一页</a> : null}
      </div>
    </section>
  )
}

/** C1 发起签约: document, name, parties, mode, deadline. Fields are placed on the last page for now. */
export const NewContractForm = (p: { csrf: string; values?: Values | undefined; errors?: Errors | undefined; me: { name: string; mobile: string } }) => {
  const errors = p.errors ?? {}
  const v = p.values ?? {}
  return (
    <section class="card">
      <form method="post" action="/contracts" enctype="multipart/form-data" class="form" novalidate>
        <CsrfInput token={p.csrf} />
        <FormError errors={errors} />
        <div class={`field${errors.document === undefined ? "" : " has-error"}`}>
          <label for="f-document">合同文件（PDF，不超过 50 MB）</label>
          <input id="f-document" name="document" type="file" accept="application/pdf,.pdf" />
          {errors.document === undefined ? null : <p class="field-error" id="f-document-error">{errors.document}</p>}
        </div>
        <Field name="name" label="合同名称" values={v} errors={errors} maxlength={60} />
        <div class="grid-2 tight">
          <div class="field">
            <label>签署方式</label>
            <label class="check"><input type="radio" name="mode" value="sequential" checked={v.mode !== "simultaneous"} /> 顺序签署（按下列顺序依次签署）</label>
            <label class="check"><input type="radio" name="mode" value="simultaneous" checked={v.mode === "simultaneous"} /> 同时签署</label>
          </div>
          <Field name="deadline" label="签约截止日期" type="date" values={v} errors={errors} />
        </div>
        <fieldset class="parties">
          <legend>签署方</legend>
          <label class="check"><input type="checkbox" name="includeMe" value="on" checked={v.includeMe !== "off"} /> 我也签署（{p.me.name}，{maskMobile(p.me.mobile)}，排在第一位）</label>
          {[0, 1, 2, 3].map((i) => (
            <div class="grid-2 tight party-row">
              <Field name={`partyName${i}`} label={`签署方 ${i + 1} 姓名`} values={v} errors={errors} maxlength={40} />
              <Field name={`partyMobile${i}`} label="手机号" type="tel" inputmode="numeric" maxlength={11} values={v} errors={errors} />
            </div>
          ))}
          {errors.parties === undefined ? null : <p class="field-error" id="f-parties-error">{errors.parties}</p>}
        </fieldset>
        <p class="hint">发起后，各签署方将收到短信通知。每次签署都以数字签名（PAdES）追加写入 PDF，任何 PDF 阅读器均可验证；手写签名和印章图片将在印章管理上线后显示在签名位置。</p>
        <button class="btn btn-primary" type="submit">发起签约</button>
      </form>
    </section>
  )
}

/** C4/C8: contract detail with parties, history and the acts the viewer may take. */
export const ContractDetail = (p: {
  contract: Contract
  history: ReadonlyArray<ContractHistoryEntry>
  csrf: string
  myParty: number | null
  canSign: boolean
  isInitiator: boolean
  notice?: string | undefined
  error?: string | undefined
}) => {
  const c = p.contract
  return (
    <div class="stack">
      {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
      {p.error === undefined ? null : <div class="alert alert-error" role="alert">{p.error}</div>}
      <section class="card">
        <div class="detail-head">
          <h2 class="card-title">{c.name} <Status status={c.status} /></h2>
          <a class="btn btn-secondary" href={`/contracts/${c.id}/document`}>下载合同</a>
        </div>
        <dl class="facts">
          <dt>签约编号</dt><dd class="mono">{c.id}</dd>
          <dt>签署方式</dt><dd>{c.mode === "sequential" ? "顺序签署" : "同时签署"}</dd>
          <dt>发起时间</dt><dd>{time(c.sentAt ?? c.createdAt)}</dd>
          <dt>截止时间</dt><dd>{time(c.deadline)}</dd>
          {c.rejectionReason === null ? null : <><dt>拒签原因</dt><dd>{c.rejectionReason}</dd></>}
          <dt>文件版本</dt><dd class="mono">v{c.documentVersion} · SHA-256 {c.documentSha256.slice(0, 16)}…</dd>
        </dl>
      </section>
      <section class="card">
        <h2 class="card-title">合同预览</h2>
        <iframe class="pdf-preview" title="合同预览" src={`/contracts/${c.id}/document?inline=1#view=FitH`} loading="lazy"></iframe>
        <p class="hint">无法预览时，请 <a href={`/contracts/${c.id}/document`}>下载合同</a> 查看。</p>
      </section>
      {p.canSign ? (
        <section class="card" id="sign-box">
          <h2 class="card-title">签署合同</h2>
          <p class="muted">请确认合同内容无误。点击“确认合同”后，验证码将发送到您的手机，用于确认本人签署意愿。</p>
          <form method="post" action={`/contracts/${c.id}/code`} hx-post={`/contracts/${c.id}/code`} hx-target="#sign-box" hx-swap="outerHTML">
            <CsrfInput token={p.csrf} />
            <button class="btn btn-primary" type="submit">确认合同</button>
          </form>
          <details class="reject">
            <summary>拒签</summary>
            <form method="post" action={`/contracts/${c.id}/reject`} class="form">
              <CsrfInput token={p.csrf} />
              <Field name="reason" label="拒签原因" maxlength={200} />
              <button class="btn btn-secondary" type="submit">确认拒签</button>
            </form>
          </details>
        </section>
      ) : null}
      <section class="card">
        <h2 class="card-title">签署方</h2>
        <div class="table-wrap">
          <table class="table table-stack">
            <thead><tr><th>顺序</th><th>签署方</th><th>手机号</th><th>状态</th><th>时间</th>{p.isInitiator ? <th>操作</th> : null}</tr></thead>
            <tbody>
              {c.parties.map((x) => (
                <tr>
                  <td data-label="顺序">{x.index + 1}</td>
                  <td data-label="签署方">{x.name}{p.myParty === x.index ? <span class="badge">我</span> : null}</td>
                  <td data-label="手机号">{maskMobile(x.mobile)}</td>
                  <td data-label="状态">{partyLabel[x.status]}</td>
                  <td data-label="时间">{time(x.actedAt)}</td>
                  {p.isInitiator ? (
                    <td data-label="操作">{c.status === "inProgress" && x.status === "waiting" ? (
                      <PostButton action={`/contracts/${c.id}/remind/${x.index}`} csrf={p.csrf} label="提醒" />
                    ) : null}</td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {p.isInitiator && c.status === "inProgress" ? (
          <PostButton action={`/contracts/${c.id}/revoke`} csrf={p.csrf} label="撤销签约" variant="ghost" confirm="确定撤销该签约吗？撤销后各方将无法签署。" />
        ) : null}
      </section>
      <section class="card">
        <h2 class="card-title">签署记录</h2>
        <ol class="history">
          {p.history.map((h) => <li><span class="muted">{time(h.at)}</span> {h.detail}</li>)}
        </ol>
      </section>
    </div>
  )
}

/** The code step of C4, swapped into the sign box by htmx (or shown as a page without JavaScript). */
export const SignCodeBox = (p: { contractId: string; csrf: string; message: string; error?: string | undefined; cooldown?: number | undefined }) => (
  <section class="card" id="sign-box">
    <h2 class="card-title">签署合同</h2>
    <p class={p.error === undefined ? "code-ok" : "field-error"} data-cooldown={p.cooldown === undefined ? undefined : String(p.cooldown)}>{p.error ?? p.message}</p>
    <form method="post" action={`/contracts/${p.contractId}/sign`} class="form" novalidate>
      <CsrfInput token={p.csrf} />
      <Field name="code" label="短信验证码" inputmode="numeric" maxlength={6} autocomplete="one-time-code" />
      <button class="btn btn-primary" type="submit">确定签署</button>
    </form>
  </section>
)
