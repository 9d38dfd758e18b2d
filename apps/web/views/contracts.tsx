import { isEnterpriseParty, type Contract, type ContractHistoryEntry, type Party } from "../../../core/contracts/Contract.ts"
import { AGENT_DEFAULT_PORT } from "../../platform/config.ts"
import { SigningPad } from "./personalSignature.tsx"
import type { BlockReason, SignAs, SigningBlocked } from "../../../core/contracts/signingOptions.ts"
import { ROLE_LABELS } from "./organization.tsx"
import { listStatus, type ListStatus, type RowAction, type RowViewer, rowActions } from "../../../core/contracts/listActions.ts"
import { maskMobile } from "../../../core/kernel/Mobile.ts"
import type { Child } from "hono/jsx"
import { cursorText, LIST_TOTAL_CAP, MAX_OFFSET_PAGE } from "../../../core/ports/ContractRepository.ts"
import { CsrfInput, Field, Notice, PostButton, type Errors } from "../../platform/views/form.tsx"
import { zhDateTimeOrDash } from "../../../core/kernel/time.ts"

const time = zhDateTimeOrDash
/** 9,999: built once (`toLocaleString` builds a number formatter per call, as it does a date formatter: core/kernel/time.ts). */
const grouped = new Intl.NumberFormat("en")

/**
 * C6/C10: the statuses a user sees, as the manual names them (one table: every list, page and badge reads it).
 * 我的签约 and the contract page say 待签署 / 正在签署 / 已完成; an enterprise's 合同管理 (and the partner
 * platform's) says • 签署中 for any contract in progress and • 签署成功 once done.
 */
export const STATUS_LABEL: Record<"personal" | "enterprise", Record<ListStatus, string>> = {
  personal: { draft: "草稿", pending: "待签署", signing: "正在签署", completed: "已完成", rejected: "已拒签", revoked: "已撤销", expired: "已过期" },
  enterprise: { draft: "草稿", pending: "签署中", signing: "签署中", completed: "签署成功", rejected: "已拒签", revoked: "已撤销", expired: "已过期" },
}
const LIST_STATUS_LABEL = STATUS_LABEL.personal
/** A status filter names the machine's states in the list's words: 待签署 and 正在签署 are both in progress. */
export const filterLabel = (s: Contract["status"], list: "personal" | "enterprise" = "personal"): string => {
  const l = STATUS_LABEL[list]
  return s !== "inProgress" ? l[s] : l.pending === l.signing ? l.pending : `${l.pending} / ${l.signing}`
}
const statusBadge: Record<ListStatus, string> = {
  draft: "badge-warn", pending: "badge-info", signing: "badge-info", completed: "badge-ok", rejected: "", revoked: "badge-muted", expired: "badge-muted",
}
const partyLabel = { waiting: "未签署", signed: "已完成", rejected: "已拒签" } as const

export const Status = (p: { contract: Pick<Contract, "status" | "parties"> }) => {
  const s = listStatus(p.contract)
  return <span class={`badge ${statusBadge[s]}`}>{LIST_STATUS_LABEL[s]}</span>
}

/** The list's guess at the initiator's rights (the act itself asks holdsInitiation): their own, while still acting for its enterprise. */
const initiatedBy = (c: Contract, v: { readonly userId: string; readonly enterpriseIds: ReadonlyArray<string> }) =>
  c.initiatorUserId === v.userId && (c.initiatorEnterpriseId === undefined || v.enterpriseIds.includes(c.initiatorEnterpriseId))

const ACTION_LABEL: Record<RowAction, string> = {
  edit: "继续编辑", sign: "签约", remind: "提醒", revoke: "撤销", view: "查看", refresh: "刷新", download: "下载合同", handOver: "移交",
}

/**
 * A row's actions (core/contracts/listActions.ts decides which). 签约 opens the
 * signing box, 提醒 and 撤销 the detail page's parties and revocation (each
 * asks for its own confirmation there); 刷新 reloads the list in place.
 */
export const RowActions = (p: { contract: Contract; actions: ReadonlyArray<RowAction>; refreshHref?: string | undefined; handOverHref?: string | undefined; swapTarget?: string | undefined }) => {
  const id = p.contract.id
  const href: Record<RowAction, string> = {
    edit: `/contracts/${id}/edit`, sign: `/contracts/${id}#sign-box`, remind: `/contracts/${id}#parties`, revoke: `/contracts/${id}#revoke`,
    view: `/contracts/${id}`, refresh: p.refreshHref ?? `/contracts/${id}`, download: `/contracts/${id}/document`, handOver: p.handOverHref ?? `/contracts/${id}`,
  }
  return (
    <span class="row-links">
      {p.actions.map((a) => a === "refresh" && p.swapTarget !== undefined
        ? <a href={href[a]} hx-get={href[a]} hx-target={`#${p.swapTarget}`} hx-swap="outerHTML">{ACTION_LABEL[a]}</a>
        : <a href={href[a]}>{ACTION_LABEL[a]}</a>)}
    </span>
  )
}

export type Tab = "all" | "mine" | "others" | "soon" | "rejected" | "drafts"
export const tabs: ReadonlyArray<[Tab, string]> = [["all", "全部"], ["mine", "需要我操作的"], ["others", "需要他人签署"], ["soon", "即将截止签约"], ["rejected", "已拒签"], ["drafts", "草稿"]]

export interface ListFilter {
  readonly tab: Tab
  readonly q: string
  readonly from: string
  readonly to: string
}

/** The list's URL for a filter and page (the same URL serves the full page and, to htmx, the fragment). */
export const listHref = (f: ListFilter, page = 1, after?: string) => {
  const query = new URLSearchParams({ tab: f.tab, q: f.q, from: f.from, to: f.to, page: String(page), ...(after === undefined ? {} : { after }) })
  return `/contracts?${query.toString()}`
}

/**
 * 共 N 条 and the page links (issue 23, keyset pagination): 下一页 starts after this page's last contract (its cursor
 * in the link), so it costs the same at any depth; 上一页 goes by page number over the first MAX_OFFSET_PAGE pages.
 */
export const Pager = (p: { total: number; page: number; pageSize: number; items: ReadonlyArray<Contract>; href: (page: number, after?: string) => string; link: (label: string, href: string) => Child }) => {
  const capped = p.total >= LIST_TOTAL_CAP
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize))
  const last = p.items[p.items.length - 1]
  const more = last !== undefined && p.items.length === p.pageSize && (capped || p.page < pages)
  return (
    <div class="pager">
      <span>共 {totalLabel(p.total)} 条</span>
      {p.page > 1 && p.page - 1 <= MAX_OFFSET_PAGE ? p.link("上一页", p.href(p.page - 1)) : p.page > 1 ? p.link("首页", p.href(1)) : null}
      <span>第 {p.page} / {capped ? `${grouped.format(pages)}+` : pages} 页</span>
      {more ? p.link("下一页", p.href(p.page + 1, cursorText({ createdAt: last.createdAt, id: last.id }))) : null}
    </div>
  )
}

/** htmx: fetch the same URL, swap only the list, and keep the address bar in step. */
const swapList = (href: string) => ({ "hx-get": href, "hx-target": "#contract-list", "hx-swap": "outerHTML", "hx-push-url": "true" })

/**
 * C7 我的签约: tabs, search (合同名称/发送人/发送企业, created between two
 * dates), table, pagination (共 N 条). Tabs, search and paging replace only
 * this section under htmx; without JavaScript they are plain links and a GET form.
 */
/** 共 N 条: a total at the cap is counted no further (the list's cost must not grow with the history): 9,999+. */
export const totalLabel = (total: number) => (total >= LIST_TOTAL_CAP ? `${grouped.format(LIST_TOTAL_CAP - 1)}+` : String(total))

export const ContractList = (p: { items: ReadonlyArray<Contract>; viewer: Omit<RowViewer, "initiator"> & { readonly userId: string }; total: number; filter: ListFilter; page: number; pageSize: number; errors?: Errors | undefined; notice?: string | undefined }) => {
  const f = p.filter
  const errors = p.errors ?? {}
  const link = (label: string, href: string, cls?: string) => <a class={cls} href={href} {...swapList(href)}>{label}</a>
  return (
    <section class="card" id="contract-list">
      <link rel="stylesheet" href="/static/contracts.css" />
      {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
      <div class="list-head">
        <nav class="tabs" aria-label="筛选">
          {tabs.map(([t, label]) => link(label, listHref({ ...f, tab: t }), `tab${t === f.tab ? " active" : ""}`))}
        </nav>
        <form method="get" action="/contracts" class="search" role="search" hx-get="/contracts" hx-target="#contract-list" hx-swap="outerHTML" hx-push-url="true">
          <input type="hidden" name="tab" value={f.tab} />
          <input name="q" id="f-q" value={f.q} placeholder="合同名称/发送人/发送企业" aria-label="按合同名称、发送人或发送企业搜索" maxlength={60} />
          <span class="search-dates">
            <label for="f-from">创建时间</label>
            <input type="date" name="from" id="f-from" value={f.from} aria-label="开始日期" aria-invalid={errors.from === undefined ? undefined : "true"} />
            <span>至</span>
            <input type="date" name="to" id="f-to" value={f.to} aria-label="结束日期" aria-invalid={errors.to === undefined ? undefined : "true"} />
          </span>
          <button class="btn btn-secondary" type="submit">搜索</button>
          <a class="btn btn-primary" href="/contracts/new">发起签约</a>
          {errors.from === undefined ? null : <p class="field-error" id="f-from-error">{errors.from}</p>}
          {errors.to === undefined ? null : <p class="field-error" id="f-to-error">{errors.to}</p>}
        </form>
      </div>
      {p.items.length === 0 ? <p class="empty">{f.tab === "drafts" ? "暂无草稿" : "暂无合同"}</p> : (
        <div class="table-wrap">
          <table class="table table-stack">
            <thead><tr><th>合同名称</th><th>签署方</th><th>签约编号</th><th>{f.tab === "drafts" ? "创建时间" : "发起时间"}</th><th>截止时间</th><th>状态</th><th>操作</th></tr></thead>
            <tbody>
              {p.items.map((c) => (
                <tr>
                  <td data-label="合同名称"><a href={c.status === "draft" ? `/contracts/${c.id}/edit` : `/contracts/${c.id}`}>{c.name}</a>{c.initiatorOrgName === undefined ? null : <div class="muted">{c.initiatorOrgName}</div>}</td>
                  <td data-label="签署方">{c.parties.map(partyTitle).join("、") || "—"}</td>
                  <td data-label="签约编号" class="mono">{c.id}</td>
                  <td data-label="发起时间">{time(c.sentAt ?? c.createdAt)}</td>
                  <td data-label="截止时间">{time(c.deadline)}</td>
                  <td data-label="状态"><Status contract={c} /></td>
                  <td data-label="操作"><RowActions contract={c} actions={rowActions(c, { ...p.viewer, initiator: initiatedBy(c, p.viewer) })} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager total={p.total} page={p.page} pageSize={p.pageSize} items={p.items} href={(page, after) => listHref(f, page, after)} link={link} />
    </section>
  )
}

/** What the signer picked for an enterprise party, carried from the code step to the signing step. */
export interface SignChoiceValues {
  readonly party: string
  readonly sealId?: string | undefined
  readonly signatoryUserId?: string | undefined
}

const ChoiceInputs = (p: { choice: SignChoiceValues | undefined }) =>
  p.choice === undefined ? null : (
    <>
      <input type="hidden" name="party" value={p.choice.party} />
      {p.choice.sealId === undefined ? null : <input type="hidden" name="sealId" value={p.choice.sealId} />}
      {p.choice.signatoryUserId === undefined ? null : <input type="hidden" name="signatoryUserId" value={p.choice.signatoryUserId} />}
    </>
  )

/** Who signs in this party's name: a person, or an enterprise (with its signing branch). */
export const partyTitle = (x: Party) => isEnterpriseParty(x) ? `${x.name}${x.branchName === undefined || x.branchName === "总公司" ? "" : `（${x.branchName}）`}` : x.name

const BLOCK_REASONS: Record<BlockReason, string> = {
  noSeal: "您没有可用的印章：企业印章须由管理员在“印章管理”中授权给您。",
  noSignatory: "您不是有权签字人，也没有有权签字人授权您使用其签名（授权须在有效期内，并覆盖本合同所属的总公司或分公司）。",
  ownSignatureMissing: "您是有权签字人，但尚未在“签名管理”中上传或绘制签名。",
}

/** Why the member cannot sign for the enterprise now, and who can (instead of a disabled button). */
export const WhyNotSign = (p: { blocked: SigningBlocked }) => (
  <div class="sign-blocked" role="status">
    <p><strong>您暂时不能代表本企业签署此合同：</strong></p>
    <ul>{p.blocked.reasons.map((r) => <li>{BLOCK_REASONS[r]}</li>)}</ul>
    {p.blocked.ableSigners.length === 0
      ? <p>目前本企业没有人能签署此合同{p.blocked.adminName === undefined ? "" : `，请联系企业管理员 ${p.blocked.adminName} 授权印章或签名`}。</p>
      : (
        <p>现在可以签署的成员：{p.blocked.ableSigners.map((s, i) => <>{i > 0 ? "、" : ""}<strong>{s.name}</strong>（{s.roles.map((r) => ROLE_LABELS[r]).join("、")}）</>)}。您可以请其签署{p.blocked.adminName === undefined ? "" : `，或联系企业管理员 ${p.blocked.adminName} 为您授权`}。</p>
      )}
  </div>
)

/**
 * C4 签署合同 for one party the user may sign for now: a person confirms;
 * an enterprise party's member first picks a seal they may use and a
 * signatory's signature (own or delegated to them).
 */
/** ` --port N` when the agent is configured (SIGNET_AGENT_URL) on another port than `signet agent`'s default. */
const agentPortArg = (agentUrl: string) => {
  const port = Number(new URL(agentUrl).port || 80)
  return port === AGENT_DEFAULT_PORT ? "" : ` --port ${port}`
}

/** `ukeyAgent`: where the page's script finds the local signing agent (SIGNET_AGENT_URL), when the USB-Key way is offered (core/contracts/keyHeldOffer.ts). */
const SignBox = (p: { contractId: string; csrf: string; signAs: SignAs; ukeyAgent: string | null }) => {
  const { party, options } = p.signAs
  const enterprise = options !== undefined
  const ready = !enterprise || (options.seals.length > 0 && options.signatories.length > 0)
  return (
    <section class="card sign-bar" id="sign-box" aria-label="签署操作">
      <h2 class="card-title">签署合同{enterprise ? ` · 代表 ${partyTitle(party)}` : ""}</h2>
      <p class="muted sign-note">请确认合同内容无误。点击“确认合同”后，验证码将发送到您的手机，用于确认本人签署意愿。</p>
      <form method="post" action={`/contracts/${p.contractId}/code`} hx-post={`/contracts/${p.contractId}/code`} hx-target="#sign-box" hx-swap="outerHTML">
        <CsrfInput token={p.csrf} />
        <input type="hidden" name="party" value={String(party.index)} />
        {!enterprise ? null : options.blocked !== undefined ? <WhyNotSign blocked={options.blocked} /> : (
          <div class="sign-choice">
            <label>印章
              <select name="sealId" id="f-sealId">{options.seals.map((s) => <option value={s.id}>{s.name}</option>)}</select>
            </label>
            <label>有权签字人签名
              <select name="signatoryUserId" id="f-signatoryUserId">{options.signatories.map((s) => <option value={s.userId}>{s.name}{s.delegated ? "（授权使用）" : "（本人）"}</option>)}</select>
            </label>
          </div>
        )}
        {ready ? <button class="btn btn-primary" type="submit">确认合同</button> : null}
      </form>
      {p.ukeyAgent === null ? null : (
        <>
          <details class="ukey-sign" data-contract={p.contractId} data-party={String(party.index)} data-csrf={p.csrf} data-agent={p.ukeyAgent}>
            <summary>使用 USB-Key 签署</summary>
            <p class="muted">适用于在本平台购买的 USB-Key，或信任列表内 CA 签发的证书。请插入 USB-Key，并在本机运行签署助手：</p>
            <pre class="mono ukey-command">signet agent --origin <span class="ukey-origin">（本平台地址）</span>{agentPortArg(p.ukeyAgent)}</pre>
            <p class="muted">PIN 只在签署助手窗口中输入，不经过网页和平台服务器。</p>
            <button class="btn btn-secondary ukey-find" type="button">读取 USB-Key 证书</button>
            <div class="ukey-status" role="status" aria-live="polite"></div>
            <ul class="ukey-certs"></ul>
          </details>
          <script src="/static/ukey.js" defer></script>
        </>
      )}
      <details class="reject">
        <summary>拒签</summary>
        <form method="post" action={`/contracts/${p.contractId}/reject`} class="form">
          <CsrfInput token={p.csrf} />
          <input type="hidden" name="party" value={String(party.index)} />
          <Field name="reason" label="拒签原因" maxlength={200} />
          <button class="btn btn-secondary" type="submit">确认拒签</button>
        </form>
      </details>
    </section>
  )
}

/**
 * 合同预览: static/viewer.js draws the pages with pdf.js to canvas, lazily, and
 * marks the signing boxes while the contract is open (the viewer's own, `mine`,
 * highlighted). Without JavaScript the download link is the way to read it.
 */
const ContractViewer = (p: { contract: Contract; mine: ReadonlyArray<number> }) => {
  const c = p.contract
  const fields = c.status === "inProgress" ? c.fields.map((f) => ({ partyIndex: f.partyIndex, page: f.page, x: f.x, y: f.y, width: f.width, height: f.height, kind: f.kind })) : []
  return (
    <section class="card viewer-card" aria-labelledby="viewer-title">
      <h2 class="card-title" id="viewer-title">合同预览</h2>
      <div id="contract-viewer" data-src={`/contracts/${c.id}/document?inline=1`} data-fields={JSON.stringify(fields)} data-mine={JSON.stringify(p.mine)}>
        <p class="hint"><span class="viewer-status" aria-live="polite"></span> 无法预览时，请 <a href={`/contracts/${c.id}/document`}>下载合同</a> 查看。</p>
        {/* One A4 page's room kept from the start, so the page does not jump when the drawing arrives. */}
        <div class="viewer-pages"><div class="viewer-page viewer-placeholder" aria-hidden="true"></div></div>
      </div>
      <script type="module" src="/static/viewer.js"></script>
    </section>
  )
}

/** C4/C8: contract detail with parties, history and the acts the viewer may take. */
export const ContractDetail = (p: {
  contract: Contract
  history: ReadonlyArray<ContractHistoryEntry>
  csrf: string
  /** Parties the viewer acts for (marked 我 / 我方). */
  myParties: ReadonlyArray<number>
  /** Parties the viewer may sign for now. */
  signAs: ReadonlyArray<SignAs>
  /** The local signing agent's address when the first party in `signAs` is offered 使用 USB-Key 签署; null: not offered. */
  ukeyAgent: string | null
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
          <h2 class="card-title">{c.name} <Status contract={c} /></h2>
          <a class="btn btn-secondary" href={`/contracts/${c.id}/document`}>下载合同</a>
          <span style="display:inline-flex;gap:.5rem;flex-wrap:wrap"><a class="btn btn-secondary" href={`/evidence/contract/${c.id}/bundle`}>证据包</a><a class="btn btn-secondary" href={`/evidence/contract/${c.id}/report`}>出证报告</a></span>
        </div>
        {c.status === "draft" && p.isInitiator ? (
          <p class="row-actions">草稿尚未发起：<a class="btn btn-primary" href={`/contracts/${c.id}/edit`}>继续编辑</a></p>
        ) : null}
        <dl class="facts">
          <dt>签约编号</dt><dd class="mono">{c.id}</dd>
          {c.initiatorOrgName === undefined ? null : <><dt>发起企业</dt><dd>{c.initiatorOrgName}</dd></>}
          <dt>签署方式</dt><dd>{c.mode === "sequential" ? "顺序签署" : "同时签署"}</dd>
          <dt>发起时间</dt><dd>{time(c.sentAt ?? c.createdAt)}</dd>
          <dt>截止时间</dt><dd>{time(c.deadline)}</dd>
          {c.rejectionReason === null ? null : <><dt>拒签原因</dt><dd>{c.rejectionReason}</dd></>}
          <dt>文件版本</dt><dd class="mono">v{c.documentVersion} · SHA-256 {c.documentSha256.slice(0, 16)}…</dd>
        </dl>
      </section>
      <ContractViewer contract={c} mine={p.signAs.map((s) => s.party.index)} />
      {p.signAs.slice(0, 1).map((signAs) => <SignBox contractId={c.id} csrf={p.csrf} signAs={signAs} ukeyAgent={p.ukeyAgent} />)}
      <section class="card">
        <h2 class="card-title" id="parties">签署方</h2>
        <div class="table-wrap">
          <table class="table table-stack">
            <thead><tr><th>顺序</th><th>签署方</th><th>手机号</th><th>状态</th><th>时间</th>{p.isInitiator ? <th>操作</th> : null}</tr></thead>
            <tbody>
              {c.parties.map((x) => (
                <tr>
                  <td data-label="顺序">{x.index + 1}</td>
                  <td data-label="签署方">{partyTitle(x)}{isEnterpriseParty(x) ? <span class="badge badge-info">企业</span> : null}{p.myParties.includes(x.index) ? <span class="badge">{isEnterpriseParty(x) ? "我方" : "我"}</span> : null}</td>
                  <td data-label="手机号">{isEnterpriseParty(x) ? `${maskMobile(x.mobile)}（${x.signerUserId === undefined ? "企业联系人" : "指定签署人"}）` : maskMobile(x.mobile)}</td>
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
          <div id="revoke"><PostButton action={`/contracts/${c.id}/revoke`} csrf={p.csrf} label="撤销签约" variant="ghost" confirm="确定撤销该签约吗？撤销后各方将无法签署。" /></div>
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
export const SignCodeBox = (p: { contractId: string; csrf: string; message: string; error?: string | undefined; cooldown?: number | undefined; choice?: SignChoiceValues | undefined }) => (
  <section class="card sign-bar" id="sign-box" aria-label="签署操作">
    <h2 class="card-title">签署合同</h2>
    <p class={p.error === undefined ? "code-ok" : "field-error"} data-cooldown={p.cooldown === undefined ? undefined : String(p.cooldown)}>{p.error ?? p.message}</p>
    <form method="post" action={`/contracts/${p.contractId}/sign`} class="form" novalidate>
      <CsrfInput token={p.csrf} />
      <ChoiceInputs choice={p.choice} />
      {p.choice?.sealId === undefined ? <SigningPad /> : null}
      <Field name="code" label="短信验证码" inputmode="numeric" maxlength={6} autocomplete="one-time-code" />
      <button class="btn btn-primary" type="submit">确定签署</button>
    </form>
  </section>
)
