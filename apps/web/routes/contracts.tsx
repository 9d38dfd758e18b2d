import { Hono } from "hono"
import { Effect, Schema } from "effect"
import { downloadContract, expireDueContracts, rejectContract, remindParty, revokeContract, viewContract } from "../../../core/contracts/contractActs.ts"
import { createContract, sendContract } from "../../../core/contracts/createContract.ts"
import { requestSigningCode, signContract, type SigningChoice } from "../../../core/contracts/signContract.ts"
import { countSigningAct } from "../../platform/http/operations.ts"
import { signingView } from "../../../core/contracts/signingOptions.ts"
import { actableParties, myContracts } from "../../../core/contracts/access.ts"
import { initiatorChoices } from "../../../core/contracts/parties.ts"
import { NumericId } from "../../../core/kernel/Ids.ts"
import { ContractRepository, type ContractListQuery } from "../../../core/ports/ContractRepository.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import { failureOf } from "../../platform/http/runner.ts"
import { describeContractError } from "../contractErrors.ts"
import type { WebError } from "../catalogue.ts"
import type { AppServices } from "../../platform/layers.ts"
import { formValues, isHtmx, renderPage, type WebContext, type WebDeps, type WebEnv } from "../context.tsx"
import { ContractDetail, SignCodeBox, type SignChoiceValues } from "../views/contracts.tsx"
import { ContractList, type ListFilter, type Tab } from "../views/contractList.tsx"
import { ContractForm } from "../views/contractForm.tsx"
import { drawnOf } from "./drawnSignature.ts"
import { dayStart, decodeContractForm, ListQuery, messageOf, pageStart, SignChoiceBody } from "./contractForms.ts"
import { draftEditRoutes } from "./contractEdit.tsx"
import { keyHeldOffered } from "../../../core/contracts/keyHeldOffer.ts"
import { contractUkeyRoutes } from "./contractUkey.tsx"
import { currentUser, requireUser } from "./account.tsx"

const PAGE_SIZE = 10
const DAY = 24 * 3600_000

const tabQuery: Record<Tab, ContractListQuery["tab"]> = { all: undefined, mine: "needsMe", others: "waitingOthers", soon: "expiringSoon", rejected: undefined, drafts: "drafts" }

const listErrors: Record<string, string> = { q: "搜索内容不能超过 60 个字", from: "请选择正确的开始日期", to: "请选择正确的结束日期" }

/** The 我的签约 query string, decoded; a bad part is reported next to its input and left out of the search. */
const decodeListQuery = (raw: Record<string, string>) => {
  let r = decodeForm(ListQuery, raw)
  const errors: Record<string, string> = {}
  if (!r.ok) {
    for (const k of Object.keys(r.errors)) if (listErrors[k] !== undefined) errors[k] = listErrors[k]!
    const bad = r.errors
    r = decodeForm(ListQuery, Object.fromEntries(Object.entries(raw).filter(([k]) => bad[k] === undefined)))
  }
  const v = r.ok ? r.value : {}
  const filter: ListFilter = { tab: v.tab ?? "all", q: (v.q ?? "").trim(), from: v.from ?? "", to: v.to ?? "" }
  if (filter.from !== "" && filter.to !== "" && filter.from > filter.to) {
    errors.to = "结束日期不能早于开始日期"
    return { filter: { ...filter, to: "" }, start: pageStart(undefined, undefined, PAGE_SIZE), errors }
  }
  return { filter, start: pageStart(v.page, v.after, PAGE_SIZE), errors }
}

/** An htmx request for the list fragment (not a history restore, which wants the whole page). */
const wantsFragment = (c: WebContext) =>
  isHtmx(c) && c.req.header("hx-history-restore-request") !== "true" && c.req.header("hx-request-type") !== "full"


export const contractRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  app.use("*", requireUser)

  const contractId = (c: WebContext) => Schema.decodeUnknownOption(NumericId)(c.req.param("id"))
  const notFound = (c: WebContext) => renderPage(c, deps, "合同", <p class="alert alert-error">合同不存在或无权查看</p>, 404)

  app.get("/", async (c) => {
    const user = currentUser(c)
    const { filter, start, errors } = decodeListQuery(c.req.query())
    const found = await deps.run(myContracts(user, {
      limit: PAGE_SIZE, offset: start.offset, after: start.after,
      status: filter.tab === "rejected" ? ["rejected"] : filter.tab === "all" || filter.tab === "drafts" ? undefined : ["inProgress"],
      tab: tabQuery[filter.tab], soonBefore: Date.now() + 3 * DAY,
      search: filter.q,
      createdFrom: filter.from === "" ? undefined : dayStart(filter.from),
      createdBefore: filter.to === "" ? undefined : dayStart(filter.to) + DAY,
    }))
    const viewer = { userId: user.id, mobile: user.mobile, enterpriseIds: found.actingFor, list: "personal" as const }
    const list = <ContractList items={found.items} viewer={viewer} total={found.total} filter={filter} page={start.page} pageSize={PAGE_SIZE} errors={errors} notice={c.req.query("done") === "deleted" ? "草稿已删除" : undefined} />
    const status = Object.keys(errors).length === 0 ? 200 : 422
    // The same URL answers htmx with the list alone and a browser with the whole page.
    c.header("vary", "HX-Request")
    return wantsFragment(c) ? c.html(list, status) : renderPage(c, deps, "我的签约", list, status)
  })

  app.get("/new", async (c) => {
    const u = currentUser(c)
    const orgs = await deps.run(initiatorChoices(u))
    return renderPage(c, deps, "发起签约", <ContractForm csrf={c.get("csrfToken")} me={{ name: u.name ?? "我", mobile: u.mobile }} orgs={orgs} />)
  })

  app.post("/", async (c) => {
    const user = currentUser(c)
    const body = await c.req.parseBody()
    const values = { ...formValues(body), includeMe: body.includeMe === "on" ? "on" : "off" }
    const orgs = await deps.run(initiatorChoices(user))
    const again = (errors: Record<string, string>, status: 400 | 409 | 422 = 422) =>
      renderPage(c, deps, "发起签约", <ContractForm csrf={c.get("csrfToken")} values={values} errors={errors} me={{ name: user.name ?? "我", mobile: user.mobile }} orgs={orgs} />, status)
    const intent = body.intent === "draft" ? "draft" : "send"
    const file = body.document
    const pdf = file instanceof File && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : null
    const form = decodeContractForm(body, { name: user.name ?? user.mobile, mobile: user.mobile }, Date.now(), pdf ?? undefined)
    const errors: Record<string, string> = form.ok ? {} : { ...form.errors }
    if (pdf === null) errors.document = "请选择合同文件（PDF）"
    if (intent === "send" && form.ok && form.value.parties.length === 0) errors.parties = "请至少添加一个签署方"
    if (!form.ok || pdf === null || Object.keys(errors).length > 0) return again(errors)
    const created = createContract(user, { ...form.value, pdf })
    const exit = await deps.exit(intent === "draft" ? created : created.pipe(Effect.flatMap((draft) => sendContract(user, draft.id))))
    const error = failureOf(exit)
    if (error !== undefined) {
      const d = describeContractError(error)
      return again({ [d?.field ?? "_form"]: messageOf(error) }, d?.field === "fields" ? 422 : 400)
    }
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect(intent === "draft" ? `/contracts/${exit.value.id}/edit?done=saved` : `/contracts/${exit.value.id}?done=sent`, 303)
  })

  app.route("/", draftEditRoutes(deps))
  app.route("/", contractUkeyRoutes(deps))

  const detail = async (c: WebContext, extra: { notice?: string; error?: string } = {}, status: 200 | 400 | 404 | 409 | 429 = 200) => {
    const user = currentUser(c)
    const id = contractId(c)
    if (id._tag === "None") return notFound(c)
    const exit = await deps.exit(viewContract(user, id.value))
    if (exit._tag === "Failure") return failureOf(exit) !== undefined ? notFound(c) : Promise.reject(exit.cause)
    const contract = exit.value
    const history = await deps.run(ContractRepository.use((r) => r.history(contract.id)))
    const { access, signAs } = await deps.run(signingView(user, contract))
    const offered = signAs[0] !== undefined && await deps.run(keyHeldOffered(user, signAs[0].party))
    return renderPage(c, deps, "合同详情", (
      <ContractDetail contract={contract} history={history} csrf={c.get("csrfToken")} myParties={actableParties(access).map((x) => x.index)}
        signAs={signAs} ukeyAgent={offered ? deps.agentUrl : null} isInitiator={access.initiator} notice={extra.notice} error={extra.error} />
    ), status)
  }

  const notices: Record<string, string> = { sent: "已发起签约，各签署方已收到短信通知", signed: "签署成功", rejected: "已拒签", revoked: "已撤销签约", reminded: "已发送提醒短信" }
  app.get("/:id", (c) => detail(c, { ...(notices[c.req.query("done") ?? ""] === undefined ? {} : { notice: notices[c.req.query("done") ?? ""]! }) }))

  app.get("/:id/document", async (c) => {
    const id = contractId(c)
    if (id._tag === "None") return notFound(c)
    const exit = await deps.exit(downloadContract(currentUser(c), id.value))
    if (exit._tag === "Failure") return failureOf(exit) !== undefined ? notFound(c) : Promise.reject(exit.cause)
    const { contract, pdf } = exit.value
    return c.body(new Uint8Array(pdf), 200, {
      "content-type": "application/pdf",
      // ?inline=1 is the preview on the contract page; otherwise it downloads.
      "content-disposition": `${c.req.query("inline") === "1" ? "inline" : "attachment"}; filename="contract-${contract.id}.pdf"; filename*=UTF-8''${encodeURIComponent(contract.name)}.pdf`,
      "x-content-type-options": "nosniff",
    })
  })

  /** The party (and, for an enterprise party, seal and signatory) the signer chose; null when the form was tampered with. */
  const choiceOf = (body: Record<string, unknown>): { readonly choice: SigningChoice; readonly values: SignChoiceValues | undefined } | null => {
    const r = decodeForm(SignChoiceBody, body)
    if (!r.ok) return null
    const v = r.value
    return {
      choice: { partyIndex: v.party === undefined ? undefined : Number(v.party), sealId: v.sealId, signatoryUserId: v.signatoryUserId },
      values: v.party === undefined ? undefined : { party: v.party, sealId: v.sealId, signatoryUserId: v.signatoryUserId },
    }
  }

  app.post("/:id/code", async (c) => {
    const id = contractId(c)
    if (id._tag === "None") return notFound(c)
    const chosen = choiceOf(await c.req.parseBody())
    if (chosen === null) return detail(c, { error: "签署选择无效，请重新选择" }, 400)
    const exit = await deps.exit(requestSigningCode(currentUser(c), id.value, chosen.choice))
    const error = failureOf(exit)
    if (error?._tag === "NotFound") return notFound(c)
    const box = error === undefined
      ? <SignCodeBox contractId={id.value} csrf={c.get("csrfToken")} message="验证码已发送到您的手机，5 分钟内有效" cooldown={60} choice={chosen.values} />
      : <SignCodeBox contractId={id.value} csrf={c.get("csrfToken")} message="" error={messageOf(error)} choice={chosen.values} />
    if (error === undefined && exit._tag === "Failure") throw exit.cause
    if (isHtmx(c)) return c.html(box, error === undefined ? 200 : 400)
    return renderPage(c, deps, "签署合同", box, error === undefined ? 200 : 400)
  })

  app.post("/:id/sign", async (c) => {
    const id = contractId(c)
    if (id._tag === "None") return notFound(c)
    const body = await c.req.parseBody()
    const chosen = choiceOf(body)
    if (chosen === null) return detail(c, { error: "签署选择无效，请重新选择" }, 400)
    const code = typeof body.code === "string" ? body.code.trim() : ""
    const drawn = drawnOf(body)
    if (drawn._tag === "invalid") {
      return renderPage(c, deps, "签署合同", <SignCodeBox contractId={id.value} csrf={c.get("csrfToken")} message="" error="手写签名无法读取，请重写" choice={chosen.values} />, 400)
    }
    const choice = drawn._tag === "drawn" ? { ...chosen.choice, drawn: drawn.bytes } : chosen.choice
    const exit = await deps.exit(countSigningAct(signContract(currentUser(c), id.value, code, choice)))
    const error = failureOf(exit)
    if (error?._tag === "NotFound") return notFound(c)
    if (error !== undefined) {
      return renderPage(c, deps, "签署合同", <SignCodeBox contractId={id.value} csrf={c.get("csrfToken")} message="" error={messageOf(error)} choice={chosen.values} />, 400)
    }
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect(`/contracts/${id.value}?done=signed`, 303)
  })

  const act = (path: string, done: string, run: (c: WebContext, id: NumericId, body: Record<string, unknown>) => Effect.Effect<unknown, WebError, AppServices> | null) =>
    app.post(path, async (c) => {
      const id = contractId(c)
      if (id._tag === "None") return notFound(c)
      const body = await c.req.parseBody()
      const eff = run(c, id.value, body)
      if (eff === null) return detail(c, { error: "请填写拒签原因" }, 400)
      const exit = await deps.exit(eff)
      const error = failureOf(exit)
      if (error !== undefined) return error._tag === "NotFound" ? notFound(c) : detail(c, { error: messageOf(error) }, 409)
      if (exit._tag === "Failure") throw exit.cause
      return c.redirect(`/contracts/${id.value}?done=${done}`, 303)
    })

  act("/:id/reject", "rejected", (c, id, body) => {
    const reason = typeof body.reason === "string" ? body.reason.trim().slice(0, 200) : ""
    const party = typeof body.party === "string" && /^\d{1,2}$/.test(body.party) ? Number(body.party) : undefined
    return reason === "" ? null : rejectContract(currentUser(c), id, reason, party)
  })
  act("/:id/revoke", "revoked", (c, id) => revokeContract(currentUser(c), id))
  act("/:id/remind/:party", "reminded", (c, id) => remindParty(currentUser(c), id, Number.parseInt(c.req.param("party") ?? "-1", 10)))

  return app
}

/** Runs the expiry sweep now and then (C5); on one process it is enough to run it in-process. */
export const startExpirySweep = (deps: Pick<WebDeps, "run">, everyMs = 60_000) => {
  const timer = setInterval(() => void deps.run(expireDueContracts()).catch(() => undefined), everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
