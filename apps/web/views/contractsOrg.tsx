import { isEnterpriseParty, type Contract } from "../../../core/contracts/Contract.ts"
import type { EnterpriseContractRow } from "../../../core/contracts/enterpriseList.ts"
import type { Errors } from "../../platform/views/form.tsx"
import { CsrfInput, Notice } from "../../platform/views/form.tsx"
import type { MemberView } from "../../../core/organizations/Organization.ts"
import type { OrgListFilter } from "../routes/contractForms.ts"
import { filterLabel, Pager, RowActions, STATUS_LABEL } from "./contractList.tsx"
import { listStatus } from "../../../core/contracts/listActions.ts"
import { zhDateTime } from "../../../core/kernel/time.ts"

const time = zhDateTime

/** The manual's status dots (• 签署中 / • 签署成功), in the one label table. */
const StatusDot = (p: { contract: Contract }) => <span class={`status-dot status-${p.contract.status}`}>{STATUS_LABEL.enterprise[listStatus(p.contract)]}</span>

/** The contract's name leads to its page (the manual's rows offer 刷新 or 下载合同, not 查看). */
const NameLink = (p: { contract: Contract }) => <a href={`/contracts/${p.contract.id}`}>{p.contract.name}</a>

/** Which page: the C10 enterprise list, the owner's P3 page, or a provider's side. */
export type OrgListKind = "enterprise" | "owner" | "provider"

const placeholders: Record<OrgListKind, string> = {
  enterprise: "请输入公司名称、合同名称、合同编号",
  owner: "请输入服务商名称、合同名称、合同编号",
  provider: "请输入公司名称、合同名称、合同编号",
}

export const orgListHref = (base: string, f: OrgListFilter, page = 1, after?: string) =>
  `${base}?${new URLSearchParams({ q: f.q, status: f.status, creator: f.creator, from: f.from, to: f.to, page: String(page), ...(after === undefined ? {} : { after }) }).toString()}`

/** htmx: the same URL answers with the list alone; the address bar follows. */
const swap = (href: string, target: string) => ({ "hx-get": href, "hx-target": `#${target}`, "hx-swap": "outerHTML", "hx-push-url": "true" })

/** 签约服务商: the enterprise on the contract that is not the owner. */
const providerOf = (c: Contract, ownerId: string) => c.parties.find((p) => isEnterpriseParty(p) && p.enterpriseId !== ownerId)?.name ?? "—"

/**
 * C10 合同管理 / P3 合同管理: search (company or provider name, contract
 * name or number), status, creator (P3), date range; the seed's columns;
 * the row actions of listActions.ts (下载合同 when 已完成, 刷新 while in progress), pagination 共 N 条.
 */
export const OrgContractList = (p: {
  kind: OrgListKind
  /** The list's own URL (its filter form and links point here). */
  base: string
  rows: ReadonlyArray<EnterpriseContractRow>
  total: number
  filter: OrgListFilter
  page: number
  pageSize: number
  errors?: Errors | undefined
  notice?: string | undefined
  /** P3: the owner (to tell the provider apart), the creators to filter by, and their names. */
  ownerId?: string | undefined
  creators?: ReadonlyArray<{ readonly userId: string; readonly name: string }> | undefined
  /** P3 创建合同. */
  createHref?: string | undefined
}) => {
  const id = "org-contract-list"
  const f = p.filter
  const errors = p.errors ?? {}
  const link = (label: string, href: string) => <a href={href} {...swap(href, id)}>{label}</a>
  const names = new Map((p.creators ?? []).map((c) => [c.userId, c.name]))
  const owner = p.kind === "owner"
  return (
    <section class="card" id={id}>
      <link rel="stylesheet" href="/static/contracts.css" />
      {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
      <form method="get" action={p.base} class="search org-search" role="search" hx-get={p.base} hx-target={`#${id}`} hx-swap="outerHTML" hx-push-url="true">
        <label for="f-q">合同</label>
        <input name="q" id="f-q" value={f.q} placeholder={placeholders[p.kind]} maxlength={60} />
        <label for="f-status">合同状态</label>
        <select name="status" id="f-status">
          <option value="" selected={f.status === ""}>请选择</option>
          {(["inProgress", "completed", "rejected", "revoked", "expired"] as const).map((s) => <option value={s} selected={f.status === s}>{filterLabel(s, "enterprise")}</option>)}
        </select>
        {owner ? (
          <>
            <label for="f-creator">合同创建人</label>
            <select name="creator" id="f-creator">
              <option value="" selected={f.creator === ""}>请选择</option>
              {(p.creators ?? []).map((c) => <option value={c.userId} selected={f.creator === c.userId}>{c.name}</option>)}
            </select>
          </>
        ) : <input type="hidden" name="creator" value="" />}
        <span class="search-dates">
          <label for="f-from">合同时间</label>
          <input type="date" name="from" id="f-from" value={f.from} aria-label="开始日期" aria-invalid={errors.from === undefined ? undefined : "true"} />
          <span>-</span>
          <input type="date" name="to" id="f-to" value={f.to} aria-label="结束日期" aria-invalid={errors.to === undefined ? undefined : "true"} />
        </span>
        <button class="btn btn-secondary" type="submit">搜索</button>
        {p.createHref === undefined ? null : <a class="btn btn-primary" href={p.createHref}>创建合同</a>}
        {Object.entries(errors).map(([k, m]) => <p class="field-error" id={`f-${k}-error`}>{m}</p>)}
      </form>
      {p.rows.length === 0 ? <p class="empty">暂无合同</p> : (
        <div class="table-wrap">
          <table class="table table-stack">
            <thead>
              {owner
                ? <tr><th>合同名称</th><th>签约编号</th><th>创建时间</th><th>合同过期时间</th><th>合同创建人</th><th>签约服务商</th><th>合同状态</th><th>操作</th></tr>
                : <tr><th>签约编号</th><th>合同名称</th><th>创建时间</th><th>合同过期时间</th><th>签署分公司</th><th>合同状态</th><th>操作</th></tr>}
            </thead>
            <tbody>
              {p.rows.map(({ contract: c, branchName, actions: rowActions }) => {
                const actions = (
                  <td data-label="操作">
                    <RowActions contract={c} actions={rowActions} refreshHref={orgListHref(p.base, f, p.page)} swapTarget={id} handOverHref={`${p.base}/${c.id}/handover`} />
                  </td>
                )
                return owner ? (
                  <tr>
                    <td data-label="合同名称"><NameLink contract={c} /></td>
                    <td data-label="签约编号" class="mono">{c.id}</td>
                    <td data-label="创建时间">{time(c.createdAt)}</td>
                    <td data-label="合同过期时间">{time(c.deadline)}</td>
                    <td data-label="合同创建人">{names.get(c.initiatorUserId) ?? "—"}</td>
                    <td data-label="签约服务商">{providerOf(c, p.ownerId ?? "")}</td>
                    <td data-label="合同状态"><StatusDot contract={c} /></td>
                    {actions}
                  </tr>
                ) : (
                  <tr>
                    <td data-label="签约编号" class="mono">{c.id}</td>
                    <td data-label="合同名称"><NameLink contract={c} /></td>
                    <td data-label="创建时间">{time(c.createdAt)}</td>
                    <td data-label="合同过期时间">{time(c.deadline)}</td>
                    <td data-label="签署分公司">{branchName}</td>
                    <td data-label="合同状态"><StatusDot contract={c} /></td>
                    {actions}
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager total={p.total} page={p.page} pageSize={p.pageSize} items={p.rows.map((r) => r.contract)} href={(page, after) => orgListHref(p.base, f, page, after)} link={link} />
    </section>
  )
}

/** Issue 16 移交: hand a contract the enterprise initiated to another agent (the initiator left, or should no longer carry it). */
export const ContractHandoverPage = (p: {
  csrf: string
  base: string
  contract: Contract
  holderName: string | null
  holderActive: boolean
  candidates: ReadonlyArray<MemberView>
  error?: string | undefined
}) => (
  <div class="stack">
    <p><a href={p.base}>← 返回合同管理</a></p>
    <section class="card">
      <h2 class="card-title">移交合同</h2>
      <dl class="facts">
        <dt>合同名称</dt><dd>{p.contract.name}</dd>
        <dt>签约编号</dt><dd class="mono">{p.contract.id}</dd>
        <dt>当前发起人</dt><dd>{p.holderName ?? "—"}{p.holderActive ? null : <span class="badge badge-muted">已注销或无发起权限</span>}</dd>
      </dl>
      <p class="hint">移交后，新的经办人可查看、催签、撤销本合同；原发起人不再有任何权限。移交记录写入证据链。</p>
      {p.error === undefined ? null : <p class="alert alert-error" role="alert">{p.error}</p>}
      {p.candidates.length === 0 ? <p class="empty">没有可接收本合同的经办人</p> : (
        <form method="post" action={`${p.base}/${p.contract.id}/handover`} class="form compact" novalidate>
          <CsrfInput token={p.csrf} />
          <div class="field">
            <label for="f-userId">移交给</label>
            <select id="f-userId" name="userId">
              {p.candidates.map((m) => <option value={m.member.userId}>{m.name ?? m.mobile}（{m.mobile}）</option>)}
            </select>
          </div>
          <button class="btn btn-primary" type="submit">移交</button>
        </form>
      )}
    </section>
  </div>
)
