/**
 * Public read API of the evidence log (no login): the log's key, signed
 * checkpoints, inclusion and consistency proofs, so anyone can monitor the
 * log and check bundles against it. Proofs hold only hashes. Behind log-in,
 * `/evidence/mine` downloads the user's own evidence bundle, and a contract's
 * people download its bundle and evidence report (出证报告); the report's
 * code opens `/evidence/report/:code` for anyone.
 */
import { Hono, type Context } from "hono"
import { Schema } from "effect"
import { Hex } from "effect/encoding"
import { getCheckpoint, logVerifierKey } from "../../../core/evidence/checkpoint.ts"
import { exportBundle } from "../../../core/evidence/exportBundle.ts"
import { currentUser, requireUser } from "./account.tsx"
import { consistencyProof, inclusionProof } from "../../../core/evidence/tree.ts"
import { untrusted, workRefusedMessage } from "../../../core/ports/UntrustedWork.ts"
import { renderPage } from "../context.tsx"
import { ReportCodeForm, ReportResult, VerifyForm, VerifyResult } from "../views/evidence.tsx"
import { checkReport, contractBundle, contractReport } from "../../../core/contracts/contractReport.ts"
import { ACT_NAMES } from "../../../core/evidence/report.ts"
import { NumericId } from "../../../core/kernel/Ids.ts"
import { isPdf } from "../../../core/kernel/bytes.ts"
import { MAX_DOCUMENT_BYTES } from "../../../core/contracts/NewContract.ts"
import { failureOf } from "../../platform/http/runner.ts"
import type { WebDeps, WebEnv } from "../context.tsx"

const MB = 1024 * 1024

/** The uploaded files, checked by size and content (not by name); zh-CN errors per field. */
const readUpload = async (body: Record<string, unknown>) => {
  const errors: Record<string, string> = {}
  const bundleFile = body.bundle
  const pdfFile = body.pdf
  let bundleText = ""
  if (!(bundleFile instanceof File) || bundleFile.size === 0) errors.bundle = "请选择证据包文件"
  else if (bundleFile.size > 5 * MB) errors.bundle = "证据包不能超过 5 MB"
  else bundleText = new TextDecoder("utf-8", { fatal: false }).decode(await bundleFile.arrayBuffer())
  let document: Uint8Array | undefined
  if (pdfFile instanceof File && pdfFile.size > 0) {
    const bytes = new Uint8Array(await pdfFile.arrayBuffer())
    if (pdfFile.size > MAX_DOCUMENT_BYTES) errors.pdf = "合同文件不能超过 50 MB"
    else if (!isPdf(bytes)) errors.pdf = "合同文件必须是 PDF"
    else document = bytes
  }
  return { errors, bundleText, document }
}

const Count = Schema.NumberFromString.pipe(Schema.check(Schema.isInt(), Schema.isGreaterThanOrEqualTo(0)))
const InclusionQuery = Schema.Struct({ index: Count, size: Count })
const ConsistencyQuery = Schema.Struct({ from: Count, to: Count })

const messages = {
  badQuery: "参数无效：请提供非负整数",
  outOfRange: "请求的序号或树大小超出日志范围",
  noCheckpoint: "尚无该大小的检查点",
} as const

export const evidenceRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  /** An attachment; `utf8Name` (RFC 5987) for browsers that show a Chinese file name. */
  const download = (body: string | Uint8Array, type: string, name: string, utf8Name?: string) =>
    new Response(typeof body === "string" ? body : new Uint8Array(body), {
      headers: {
        "content-type": type,
        "content-disposition": `attachment; filename="${name}"${utf8Name === undefined ? "" : `; filename*=UTF-8''${encodeURIComponent(utf8Name)}`}`,
        "cache-control": "no-store",
      },
    })
  const text = (body: string) => new Response(body, { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } })

  app.get("/key", async () => text(`${await deps.run(logVerifierKey)}\n`))

  app.get("/checkpoint/:size?", async (c) => {
    const raw = c.req.param("size")
    const size = raw === undefined ? undefined : Schema.decodeUnknownOption(Count)(raw)
    if (size !== undefined && size._tag === "None") return c.json({ error: messages.badQuery }, 400)
    const exit = await deps.exit(getCheckpoint(size?.value))
    if (exit._tag === "Success") return text(exit.value.note)
    if (failureOf(exit)?._tag === "NoCheckpoint") return c.json({ error: messages.noCheckpoint }, 404)
    throw new Error("evidence checkpoint lookup failed")
  })

  app.get("/proof/inclusion", async (c) => {
    const q = Schema.decodeUnknownOption(InclusionQuery)(c.req.query())
    if (q._tag === "None") return c.json({ error: messages.badQuery }, 400)
    const exit = await deps.exit(inclusionProof(q.value.index, q.value.size))
    if (exit._tag === "Success") return c.json({ index: q.value.index, size: q.value.size, proof: exit.value.map((h) => Hex.encode(h)) })
    if (failureOf(exit)?._tag === "TreeSizeOutOfRange") return c.json({ error: messages.outOfRange }, 404)
    throw new Error("inclusion proof failed")
  })

  app.get("/proof/consistency", async (c) => {
    const q = Schema.decodeUnknownOption(ConsistencyQuery)(c.req.query())
    if (q._tag === "None") return c.json({ error: messages.badQuery }, 400)
    const exit = await deps.exit(consistencyProof(q.value.from, q.value.to))
    if (exit._tag === "Success") return c.json({ from: q.value.from, to: q.value.to, proof: exit.value.map((h) => Hex.encode(h)) })
    if (failureOf(exit)?._tag === "TreeSizeOutOfRange") return c.json({ error: messages.outOfRange }, 404)
    throw new Error("consistency proof failed")
  })
  // Anyone may check a bundle (and the PDF) here: the same checks as `signet evidence verify`.
  app.get("/verify", (c) => {
    const code = c.req.query("code")
    if (code !== undefined && code.trim() !== "") return c.redirect(`/evidence/report/${encodeURIComponent(code.trim().slice(0, 32))}`, 303)
    return renderPage(c, deps, "证据验证", <div class="stack"><VerifyForm csrf={c.get("csrfToken")} errors={{}} /><ReportCodeForm /></div>)
  })

  // The code printed on an evidence report (and in its QR code): the same checks, run now on the bundle frozen with the report.
  app.get("/report/:code", async (c) => {
    const typed = c.req.param("code")
    const exit = await deps.exit(checkReport(typed))
    if (exit._tag === "Failure") {
      if (failureOf(exit)?._tag !== "NotFound") throw new Error("report check failed")
      return renderPage(c, deps, "出证报告核验", <ReportCodeForm code={typed} error="未找到该验证码对应的出证报告，请核对后重试" />, 404)
    }
    const { code, issuedAt, bundle, checks } = exit.value
    const acts = bundle.events.map((e) => {
      const body = JSON.parse(e.body) as { type: string; at: number }
      return { at: body.at, name: ACT_NAMES[body.type] ?? body.type, index: e.index }
    })
    return renderPage(c, deps, "出证报告核验", <ReportResult code={code} issuedAt={issuedAt} subject={bundle.subject} acts={acts} checks={checks} />)
  })

  // A contract's evidence for its initiator and parties: the bundle (their own openings only) and the report.
  const contractOf = (c: Context<WebEnv>) => Schema.decodeUnknownOption(NumericId)(c.req.param("id"))
  const notFound = (c: Context<WebEnv>) => renderPage(c, deps, "合同证据", <p class="alert alert-error">合同不存在</p>, 404)
  app.get("/contract/:id/bundle", requireUser, async (c) => {
    const id = contractOf(c)
    if (id._tag === "None") return notFound(c)
    const exit = await deps.exit(contractBundle(currentUser(c), id.value))
    if (exit._tag === "Failure") return failureOf(exit)?._tag === "NotFound" ? notFound(c) : Promise.reject(new Error("contract bundle failed"))
    return download(`${JSON.stringify(exit.value, null, 2)}\n`, "application/json; charset=utf-8", `evidence-contract-${id.value}.json`)
  })
  app.get("/contract/:id/report", requireUser, async (c) => {
    const id = contractOf(c)
    if (id._tag === "None") return notFound(c)
    const exit = await deps.exit(contractReport(currentUser(c), id.value))
    if (exit._tag === "Failure") return failureOf(exit)?._tag === "NotFound" ? notFound(c) : Promise.reject(new Error("contract report failed"))
    return download(exit.value.pdf, "application/pdf", `evidence-report-${id.value}.pdf`, `出证报告-${id.value}.pdf`)
  })
  app.post("/verify", async (c) => {
    const { errors, bundleText, document } = await readUpload(await c.req.parseBody())
    if (Object.keys(errors).length > 0) return renderPage(c, deps, "证据验证", <VerifyForm csrf={c.get("csrfToken")} errors={errors} />, 422)
    // Parsed and checked in a worker of the pool: a hostile bundle costs a worker, not the server.
    const exit = await deps.exit(untrusted("evidence.verify", { bundleText, document }))
    const refused = failureOf(exit)
    if (refused !== undefined) return renderPage(c, deps, "证据验证", <VerifyForm csrf={c.get("csrfToken")} errors={{ bundle: workRefusedMessage(refused) }} />, refused.reason === "busy" ? 429 : 422)
    if (exit._tag === "Failure") throw exit.cause
    if (!exit.value.ok) return renderPage(c, deps, "证据验证", <VerifyForm csrf={c.get("csrfToken")} errors={{ bundle: exit.value.reason }} />, 422)
    return renderPage(c, deps, "证据验证结果", <VerifyResult checks={exit.value.checks} />)
  })

  // The logged-in user's own history, openings included (it is their data): the file `signet evidence verify` checks.
  app.get("/mine", requireUser, async (c) => {
    const user = currentUser(c)
    const bundle = await deps.run(exportBundle(`user:${user.id}`, { withOpenings: true }))
    return download(`${JSON.stringify(bundle, null, 2)}\n`, "application/json; charset=utf-8", `evidence-user-${user.id}.json`)
  })
  return app
}
