/** 我的签约 (C6, C7, C10): statuses as the manual names them, row actions, tabs, the pager and the list itself. */
import { isEnterpriseParty, type Contract, type Party } from "../../../core/contracts/Contract.ts"
import { listStatus, type ListStatus, type RowAction, type RowViewer, rowActions } from "../../../core/contracts/listActions.ts"
import type { Child } from "hono/jsx"
import { cursorText, LIST_TOTAL_CAP, MAX_OFFSET_PAGE } from "../../../core/ports/ContractRepository.ts"
import { Notice, type Errors } from "../../platform/views/form.tsx"
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
/** A status filter names the machine's states in the list's words: 待签署 and 正在签署 are both in progress. */
export const filterLabel = (s: Contract["status"], list: "personal" | "enterprise" = "personal"): string => {
  const l = STATUS_LABEL[list]
  return s !== "inProgress" ? l[s] : l.pending === l.signing ? l.pending : `${l.pending} / ${l.signing}`
}
/** Who signs in this party's name: a person, or an enterprise (with its signing branch). */
export const partyTitle = (x: Party) => isEnterpriseParty(x) ? `${x.name}${x.branchName === undefined || x.branchName === "总公司" ? "" : `（${x.branchName}）`}` : x.name

const statusBadge: Record<ListStatus, string> = {
  draft: "badge-warn", pending: "badge-info", signing: "badge-info", completed: "badge-ok", rejected: "", revoked: "badge-muted", expired: "badge-muted",
}

export const Status = (p: { contract: Pick<Contract, "status" | "parties"> }) => {
  const s = listStatus(p.contract)
  return <span class={`badge ${statusBadge[s]}`}>{STATUS_LABEL.personal[s]}</span>
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

/** 共 N 条: a total at the cap is counted no further (the list's cost must not grow with the history): 9,999+. */
export const totalLabel = (total: number) => (total >= LIST_TOTAL_CAP ? `${grouped.format(LIST_TOTAL_CAP - 1)}+` : String(total))

/**
 * C7 我的签约: tabs, search (合同名称/发送人/发送企业, created between two
 * dates), table, pagination (共 N 条). Tabs, search and paging replace only
 * this section under htmx; without JavaScript they are plain links and a GET form.
 */

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

