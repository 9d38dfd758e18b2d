import { Hono } from "hono"
import { Effect, Schema } from "effect"
import { machineState, SignField } from "../../../core/contracts/Contract.ts"
import { downloadContract, expireDueContracts, rejectContract, remindParty, revokeContract, viewContract } from "../../../core/contracts/contractActs.ts"
import { partiesDue } from "../../../core/contracts/contractMachine.ts"
import { createContract, PartyInput, sendContract } from "../../../core/contracts/createContract.ts"
import { requestSigningCode, signContract } from "../../../core/contracts/signContract.ts"
import { partyOf } from "../../../core/contracts/store.ts"
import { NumericId } from "../../../core/kernel/Ids.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import { failureOf } from "../../platform/http/runner.ts"
import { describeContractError } from "../contractErrors.ts"
import { translate } from "../messages.ts"
import { formValues, isHtmx, renderPage, type WebContext, type WebDeps, type WebEnv } from "../context.tsx"
import { ContractDetail, ContractList, NewContractForm, SignCodeBox, type Tab } from "../views/contracts.tsx"
import { deadlineOf, decodePartyRows, messageOf, NewContractBody } from "./contractForms.ts"
import { currentUser, requireUser } from "./account.tsx"

const PAGE_SIZE = 10
const DAY = 24 * 3600_000

const isPdf = (bytes: Uint8Array) => bytes.length > 5 && new TextDecoder().decode(bytes.subarray(0, 5)) === "%PDF-"

export const contractRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  app.use("*", requireUser)

  const contractId = (c: WebContext) => Schema.decodeUnknownOption(NumericId)(c.req.param("id"))
  const notFound = (c: WebContext) => renderPage(c, deps, "合同", <p class="alert alert-error">合同不存在或无权查看</p>, 404)

  app.get("/", async (c) => {
    const user = currentUser(c)
    const tab = (["all", "mine", "others", "soon", "rejected"].includes(c.req.query("tab") ?? "") ? c.req.query("tab") : "all") as Tab
    const q = (c.req.query("q") ?? "").slice(0, 60)
    const page = Math.max(1, Number.parseInt(c.req.query("page") ?? "1", 10) || 1)
    const found = await deps.run(ContractRepository.use((r) => r.list({
      mobile: user.mobile, userId: user.id, search: q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE,
      status: tab === "rejected" ? ["rejected"] : tab === "all" ? undefined : ["inProgress"],
      tab: tab === "mine" ? "needsMe" : tab === "others" ? "waitingOthers" : tab === "soon" ? "expiringSoon" : undefined,
      soonBefore: Date.now() + 3 * DAY,
    })))
    return renderPage(c, deps, "我的签约", (
      <ContractList items={found.items} total={found.total} tab={tab} q={q} page={page} pageSize={PAGE_SIZE} />
    ))
  })

  app.get("/new", (c) => {
    const u = currentUser(c)
    return renderPage(c, deps, "发起签约", <NewContractForm csrf={c.get("csrfToken")} me={{ name: u.name ?? "我", mobile: u.mobile }} />)
  })

  app.post("/", async (c) => {
    const user = currentUser(c)
    const body = await c.req.parseBody()
    const values = { ...formValues(body), includeMe: body.includeMe === "on" ? "on" : "off" }
    const again = (errors: Record<string, string>, status: 400 | 409 | 422 = 422) =>
      renderPage(c, deps, "发起签约", <NewContractForm csrf={c.get("csrfToken")} values={values} errors={errors} me={{ name: user.name ?? "我", mobile: user.mobile }} />, status)
    const form = decodeForm(NewContractBody, body)
    const errors: Record<string, string> = form.ok ? {} : translate(form.errors)
    const file = body.document
    let pdf: Uint8Array | null = null
    if (!(file instanceof File) || file.size === 0) errors.document = "请选择合同文件（PDF）"
    else if (file.size > 50 * 1024 * 1024) errors.document = "文件不能超过 50 MB"
    else {
      pdf = new Uint8Array(await file.arrayBuffer())
      if (!isPdf(pdf)) errors.document = "只支持 PDF 文件（按文件内容识别，不看扩展名）"
    }
    const rows = decodePartyRows(body, 4, true)
    Object.assign(errors, rows.errors)
    const parties: Array<PartyInput> = [...(body.includeMe === "on" ? [{ name: user.name ?? user.mobile, mobile: user.mobile }] : []), ...rows.parties]
    if (parties.length === 0) errors.parties = "请至少添加一个签署方"
    if (new Set(parties.map((p) => p.mobile)).size !== parties.length) errors.parties = "签署方手机号不能重复"
    if (form.ok && deadlineOf(form.value.deadline) <= Date.now()) errors.deadline = "签约截止日期必须晚于今天"
    if (!form.ok || pdf === null || Object.keys(errors).length > 0) return again(errors)
    const fields = parties.map((_, i) => new SignField({ partyIndex: i, page: 1, x: 50 + (i % 3) * 170, y: 60 + Math.floor(i / 3) * 80, width: 150, height: 60, kind: "signature" }))
    const exit = await deps.exit(
      createContract(user, { name: form.value.name, pdf, mode: form.value.mode, deadline: deadlineOf(form.value.deadline), parties, fields }).pipe(
        Effect.flatMap((draft) => sendContract(user, draft.id)),
      ),
    )
    const error = failureOf(exit)
    if (error !== undefined) {
      const d = describeContractError(error as never)
      return again({ [d?.field ?? "_form"]: messageOf(error) }, 400)
    }
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect(`/contracts/${exit.value.id}?done=sent`, 303)
  })

  const detail = async (c: WebContext, extra: { notice?: string; error?: string } = {}, status: 200 | 400 | 404 | 409 | 429 = 200) => {
    const user = currentUser(c)
    const id = contractId(c)
    if (id._tag === "None") return notFound(c)
    const exit = await deps.exit(viewContract(user, id.value))
    if (exit._tag === "Failure") return failureOf(exit) !== undefined ? notFound(c) : Promise.reject(exit.cause)
    const contract = exit.value
    const history = await deps.run(ContractRepository.use((r) => r.history(contract.id)))
    const party = partyOf(contract, user)
    const canSign = party !== undefined && partiesDue(machineState(contract)).includes(String(party.index))
    return renderPage(c, deps, "合同详情", (
      <ContractDetail contract={contract} history={history} csrf={c.get("csrfToken")} myParty={party?.index ?? null}
        canSign={canSign} isInitiator={contract.initiatorUserId === user.id} notice={extra.notice} error={extra.error} />
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

  app.post("/:id/code", async (c) => {
    const id = contractId(c)
    if (id._tag === "None") return notFound(c)
    const exit = await deps.exit(requestSigningCode(currentUser(c), id.value))
    const error = failureOf(exit)
    if (error?._tag === "NotFound") return notFound(c)
    const box = error === undefined
      ? <SignCodeBox contractId={id.value} csrf={c.get("csrfToken")} message="验证码已发送到您的手机，5 分钟内有效" cooldown={60} />
      : <SignCodeBox contractId={id.value} csrf={c.get("csrfToken")} message="" error={messageOf(error)} />
    if (error === undefined && exit._tag === "Failure") throw exit.cause
    if (isHtmx(c)) return c.html(box, error === undefined ? 200 : 400)
    return renderPage(c, deps, "签署合同", box, error === undefined ? 200 : 400)
  })

  app.post("/:id/sign", async (c) => {
    const id = contractId(c)
    if (id._tag === "None") return notFound(c)
    const body = await c.req.parseBody()
    const code = typeof body.code === "string" ? body.code.trim() : ""
    const exit = await deps.exit(signContract(currentUser(c), id.value, code))
    const error = failureOf(exit)
    if (error?._tag === "NotFound") return notFound(c)
    if (error !== undefined) {
      return renderPage(c, deps, "签署合同", <SignCodeBox contractId={id.value} csrf={c.get("csrfToken")} message="" error={messageOf(error)} />, 400)
    }
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect(`/contracts/${id.value}?done=signed`, 303)
  })

  const act = (path: string, done: string, run: (c: WebContext, id: NumericId, body: Record<string, unknown>) => Effect.Effect<unknown, { readonly _tag: string }, never> | null) =>
    app.post(path, async (c) => {
      const id = contractId(c)
      if (id._tag === "None") return notFound(c)
      const body = await c.req.parseBody()
      const eff = run(c, id.value, body)
      if (eff === null) return detail(c, { error: "请填写拒签原因" }, 400)
      const exit = await deps.exit(eff as never)
      const error = failureOf(exit) as { readonly _tag: string } | undefined
      if (error !== undefined) return error._tag === "NotFound" ? notFound(c) : detail(c, { error: messageOf(error) }, 409)
      if (exit._tag === "Failure") throw exit.cause
      return c.redirect(`/contracts/${id.value}?done=${done}`, 303)
    })

  act("/:id/reject", "rejected", (c, id, body) => {
    const reason = typeof body.reason === "string" ? body.reason.trim().slice(0, 200) : ""
    return reason === "" ? null : (rejectContract(currentUser(c), id, reason) as never)
  })
  act("/:id/revoke", "revoked", (c, id) => revokeContract(currentUser(c), id) as never)
  act("/:id/remind/:party", "reminded", (c, id) => remindParty(currentUser(c), id, Number.parseInt(c.req.param("party") ?? "-1", 10)) as never)

  return app
}

/** Runs the expiry sweep now and then (C5); on one process it is enough to run it in-process. */
export const startExpirySweep = (deps: Pick<WebDeps, "run">, everyMs = 60_000) => {
  const timer = setInterval(() => void deps.run(expireDueContracts()).catch(() => undefined), everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
