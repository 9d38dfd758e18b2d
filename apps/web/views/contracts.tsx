/** The contract page (C4-C6, C9): the viewer, parties, history, and the signing box with its code step. */
import { isEnterpriseParty, type Contract, type ContractHistoryEntry } from "../../../core/contracts/Contract.ts"
import { AGENT_DEFAULT_PORT } from "../../platform/config.ts"
import { SigningPad } from "./personalSignature.tsx"
import type { BlockReason, SignAs, SigningBlocked } from "../../../core/contracts/signingOptions.ts"
import { ROLE_LABELS } from "./organization.tsx"
import { maskMobile } from "../../../core/kernel/Mobile.ts"
import { CsrfInput, Field, Notice, PostButton } from "../../platform/views/form.tsx"
import { zhDateTimeOrDash } from "../../../core/kernel/time.ts"
import { partyTitle, Status } from "./contractList.tsx"

const time = zhDateTimeOrDash
const partyLabel = { waiting: "未签署", signed: "已完成", rejected: "已拒签" } as const

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
