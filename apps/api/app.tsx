import { Hono, type Context } from "hono"
import { installErrorBoundary, logIncident } from "../platform/http/errorBoundary.ts"
import { BODY_KINDS, limitBodies } from "../platform/http/bodyLimits.ts"
import { Effect, Exit, Result, type Schema } from "effect"
import { Hex } from "effect/encoding"
import type { ApiKey } from "../../core/api/Api.ts"
import { authenticate } from "../../core/api/authenticate.ts"
import {
  createEnterpriseContract, downloadEnterpriseContract, enterpriseContract, enterpriseEvidenceBundle, listEnterpriseContracts,
  remindEnterpriseContract, revokeEnterpriseContract, type ApiDocument,
} from "../../core/api/enterpriseContracts.ts"
import { fingerprintText, idempotent, type RequestContent } from "../../core/api/idempotency.ts"
import { contractResource } from "../../core/api/resources.ts"
import { SignField, type Contract } from "../../core/contracts/Contract.ts"
import type { NumericId } from "../../core/kernel/Ids.ts"
import { cursorOf, cursorText } from "../../core/ports/ContractRepository.ts"
import { Crypto } from "../../core/ports/Crypto.ts"
import type { ExitRunner } from "../platform/http/runner.ts"
import type { Limiter } from "../platform/http/rateLimit.ts"
import type { AppServices } from "../platform/layers.ts"
import { failureOf } from "../platform/http/runner.ts"
import { evidenceClientVia } from "../platform/http/evidenceClient.ts"
import type { ClientAddress } from "../platform/http/clientAddress.ts"
import { DocsPage } from "./docs.tsx"
import { openApiDocument } from "./openapi.ts"
import { operations } from "./operations.ts"
import { ApiProblem, decodeOrProblem, problemOf, problemResponse, problems, type ApiError } from "./problem.ts"
import { CompleteSignatureBody, ContractIdParams, CreateFromTemplate, CreateFromUpload, ListQuery, PrepareSignatureBody, RemindBody } from "./schemas.ts"
import { completeOnContract, enterprisePartyOf, prepareForEnterprise } from "../../core/contracts/externalSigning.ts"
import { autoSignContract } from "../../core/contracts/autoSignContract.ts"
import { NewContractRules } from "../../core/contracts/NewContract.ts"

/**
 * A party is a person or, when it names `enterpriseName`, an enterprise: the
 * problem lists only the errors of the kind the client sent, not the other
 * alternative's missing fields.
 */
const partiesDecoded = <A,>(decoded: Result.Result<A, ApiProblem>, input: unknown): Result.Result<A, ApiProblem> => {
  if (Result.isSuccess(decoded) || decoded.failure.errors === undefined) return decoded
  const parties = (input as { parties?: unknown } | null)?.parties
  const isEnterprise = (i: number) => Array.isArray(parties) && typeof parties[i] === "object" && parties[i] !== null && "enterpriseName" in parties[i]
  const errors = decoded.failure.errors.filter((e) => {
    const m = /^\/parties\/(\d+)\/(\w+)$/.exec(e.pointer)
    return m === null || (m[2] === "enterpriseName") === isEnterprise(Number(m[1]))
  })
  const p = decoded.failure
  return Result.fail(new ApiProblem(p.status, p.code, p.title, `${errors.length} invalid field(s)`, errors, p.headers))
}

export interface ApiDeps {
  readonly exit: ExitRunner<AppServices>
  /** The portal's public address (servers[0] of the OpenAPI document). */
  readonly publicUrl: string
  /** Requests per API key (per process). */
  readonly perKey: Limiter
  /** The client's address (evidence): through trusted proxies only. */
  readonly clientAddress: ClientAddress
}

type ApiEnv = { Variables: { key: ApiKey; body: Uint8Array<ArrayBuffer> } }
type ApiContext = Context<ApiEnv>

/** What a handler answers: kept as is for an idempotent replay. */
interface Answer {
  readonly status: number
  readonly contentType: string
  readonly body: string | Uint8Array
}

const json = (status: number, value: unknown): Answer => ({ status, contentType: "application/json; charset=utf-8", body: JSON.stringify(value) })
const problemAnswer = (p: ApiProblem, instance: string): Answer => ({
  status: p.status,
  contentType: "application/problem+json; charset=utf-8",
  body: JSON.stringify({ type: `urn:signet:problem:${p.code}`, title: p.title, status: p.status, code: p.code, ...(p.detail === undefined ? {} : { detail: p.detail }), instance, ...(p.errors === undefined ? {} : { errors: p.errors }) }),
})
const fieldProblem = (pointer: string, code: string, detail: string) =>
  new ApiProblem(422, "validation_failed", "请求内容不符合要求", "1 invalid field(s)", [{ pointer, code, detail }])


/**
 * The partner REST API (P4), its own Hono app mounted at /api/v1 before the
 * portal's cookie/CSRF middleware: requests are authenticated by their HMAC
 * signature, never by cookies. Routes come from the operation table that the
 * OpenAPI document is generated from.
 */
export const createApiApp = (deps: ApiDeps) => {
  const app = new Hono<ApiEnv>()
  // One boundary: an unexpected failure is logged with an incident id, which the zh-CN problem names.
  const incident = (c: Context, cause: unknown) => problems.internal(`事件编号 ${logIncident("api", c, cause)}`)
  installErrorBoundary(app, (err, c) => problemResponse(c, incident(c, err)))
  /** The problem for a failed exit: an expected failure's own, else (a defect, an unmapped error) an incident. */
  const problemOfExit = (c: Context, exit: Exit.Exit<unknown, ApiError>) => {
    const error = failureOf(exit)
    const p = error === undefined ? undefined : problemOf(error)
    return p === undefined || p.code === "internal_error" ? incident(c, Exit.isFailure(exit) ? exit.cause : exit) : p
  }
  let document: Record<string, unknown> | undefined
  const doc = () => (document ??= openApiDocument(deps.publicUrl))

  app.get("/openapi.json", (c) => c.json(doc()))
  app.get("/docs", (c) => c.html(`<!doctype html>${(<DocsPage doc={doc()} />).toString()}`))

  // Read before authentication: the signature covers the whole body, so it is read whole (within the limit).
  // Contract acts through the API record the caller's address and user agent (as commitments) like the portal's.
  app.use("*", evidenceClientVia(deps.clientAddress))
  // Creating a contract carries its PDF; every other operation a small JSON body.
  app.use("*", limitBodies([{ path: /\/contracts\/?$/, kind: BODY_KINDS.contract }], BODY_KINDS.json, (c, kind) => problemResponse(c, problems.tooLarge(kind.tooLarge))))

  /** Runs a use case: its expected failures become problems, defects the 500 problem. */
  const answer = async <A, E extends ApiError>(c: ApiContext, effect: Effect.Effect<A, E, AppServices>, ok: (a: A) => Answer): Promise<Answer> => {
    const exit = await deps.exit(effect)
    if (Exit.isSuccess(exit)) return ok(exit.value)
    return problemAnswer(problemOfExit(c, exit), c.req.path)
  }

  const send = (c: ApiContext, a: Answer, extra: Record<string, string> = {}) =>
    c.body(typeof a.body === "string" ? a.body : new Uint8Array(a.body), a.status as 200, { "content-type": a.contentType, ...extra })

  const authenticated = async (c: ApiContext, next: () => Promise<void>) => {
    const body = new Uint8Array(await c.req.arrayBuffer())
    const url = new URL(c.req.url)
    const exit = await deps.exit(authenticate({ method: c.req.method, target: url.pathname + url.search, authorization: c.req.header("authorization"), body }))
    if (Exit.isFailure(exit)) return problemResponse(c, problemOfExit(c, exit))
    const wait = await deps.perKey.hit(exit.value.id)
    if (wait > 0) return problemResponse(c, problems.rateLimited(wait))
    c.set("key", exit.value)
    c.set("body", body)
    await next()
  }

  /** The multipart body, parsed once per request (the fingerprint and the handler both read it). */
  const forms = new WeakMap<Request, Promise<FormData>>()
  const formOf = (c: ApiContext) => {
    let form = forms.get(c.req.raw)
    if (form === undefined) {
      form = new Response(c.get("body"), { headers: { "content-type": c.req.header("content-type")! } }).formData()
      forms.set(c.req.raw, form)
    }
    return form
  }

  /** The body as its meaning (fields, files' hashes, JSON values); bytes when it does not parse (the handler then refuses it anyway). */
  const contentOf = async (c: ApiContext, sha256: (b: Uint8Array) => string): Promise<RequestContent> => {
    const type = (c.req.header("content-type") ?? "").toLowerCase()
    try {
      if (type.startsWith("multipart/form-data")) {
        const entries: Array<readonly [string, { text: string } | { fileSha256: string }]> = []
        for (const [name, value] of (await formOf(c)).entries()) {
          entries.push([name, typeof value === "string" ? { text: value } : { fileSha256: sha256(new Uint8Array(await value.arrayBuffer())) }])
        }
        return { _tag: "Form", entries }
      }
      if (type.startsWith("application/json")) return { _tag: "Json", value: JSON.parse(bodyText(c)) }
    } catch {
      // Not what it says it is: fall through to the bytes.
    }
    return { _tag: "Bytes", sha256: sha256(c.get("body")) }
  }

  /** Serves an idempotent POST: with an Idempotency-Key, once per (key, Idempotency-Key), replayed after. */
  const once = async (c: ApiContext, run: () => Promise<Answer>) => {
    const idempotencyKey = c.req.header("idempotency-key")
    if (idempotencyKey === undefined) return send(c, await run())
    if (!/^[\x21-\x7e]{1,100}$/.test(idempotencyKey)) return problemResponse(c, fieldProblem("/headers/Idempotency-Key", "idempotencyKey.invalid", "1-100 个可见 ASCII 字符"))
    const key = c.get("key")
    const requestSha = await deps.exit(Crypto.use((cr) => Effect.promise(async () => {
      const content = await contentOf(c, (b) => Hex.encode(cr.sha256(b)))
      return cr.sha256TextHex(fingerprintText(c.req.method, c.req.path, content))
    })))
    if (Exit.isFailure(requestSha)) return problemResponse(c, problemOfExit(c, requestSha))
    const stored = await answer(c, idempotent(key.id, idempotencyKey, requestSha.value, Effect.promise(async () => {
      const a = await run()
      return { status: a.status, contentType: a.contentType, body: typeof a.body === "string" ? a.body : "" }
    })), (r) => ({ ...r.response, replayed: r.replayed }))
    return send(c, stored, "replayed" in stored && stored.replayed === true ? { "idempotent-replayed": "true" } : {})
  }

  const bodyText = (c: ApiContext) => new TextDecoder().decode(c.get("body"))
  const jsonBody = (c: ApiContext, emptyAs?: unknown): Result.Result<unknown, ApiProblem> => {
    const text = bodyText(c)
    if (text.trim() === "" && emptyAs !== undefined) return Result.succeed(emptyAs)
    try {
      return Result.succeed(JSON.parse(text))
    } catch {
      return Result.fail(problems.malformed("the body is not valid JSON"))
    }
  }
  const contractId = (c: ApiContext) => Result.map(decodeOrProblem(ContractIdParams, { id: c.req.param("id") }), (p) => p.id as NumericId)
  const deadlineOf = (iso: string) => Date.parse(iso)

  /** The new contract's input from a JSON (template) or multipart (upload) body, or the problem with it. */
  const newContract = async (c: ApiContext): Promise<Result.Result<{ base: typeof CreateFromUpload.Type; document: ApiDocument }, ApiProblem>> => {
    const type = (c.req.header("content-type") ?? "").toLowerCase()
    if (type.startsWith("application/json")) {
      const body = jsonBody(c)
      if (Result.isFailure(body)) return Result.fail(body.failure)
      return Result.map(partiesDecoded(decodeOrProblem(CreateFromTemplate, body.success), body.success), (v) => ({ base: v, document: { _tag: "Template" as const, templateId: v.template.id, values: v.template.values } }))
    }
    if (!type.startsWith("multipart/form-data")) return Result.fail(problems.unsupportedMedia())
    let form: FormData
    try {
      form = await formOf(c)
    } catch {
      return Result.fail(problems.malformed("the body is not valid multipart/form-data"))
    }
    const part = form.get("contract")
    const text = typeof part === "string" ? part : part instanceof File ? await part.text() : undefined
    if (text === undefined) return Result.fail(fieldProblem("/contract", "required", "缺少 contract 部分（JSON）"))
    let meta: unknown
    try {
      meta = JSON.parse(text)
    } catch {
      return Result.fail(problems.malformed("the contract part is not valid JSON"))
    }
    const decoded = partiesDecoded(decodeOrProblem(CreateFromUpload, meta), meta)
    if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
    const file = form.get("document")
    if (!(file instanceof File) || file.size === 0) return Result.fail(fieldProblem("/document", "required", "缺少 document 部分（PDF）"))
    const pdf = new Uint8Array(await file.arrayBuffer())
    const fields = decoded.success.fields?.map((f) => new SignField({ ...f, kind: "signature" }))
    return Result.succeed({ base: decoded.success, document: { _tag: "Upload", pdf, fields } })
  }

  const contractAnswer = (status: number) => (contract: Contract) => json(status, contractResource(contract))

  const handlers: Record<string, (c: ApiContext) => Promise<Response>> = {
    createContract: (c) =>
      once(c, async () => {
        const input = await newContract(c)
        if (Result.isFailure(input)) return problemAnswer(input.failure, c.req.path)
        const { base, document } = input.success
        const deadline = deadlineOf(base.deadline)
        // The C1 rules every new contract meets (core/contracts/NewContract.ts).
        const checked = decodeOrProblem(NewContractRules(Date.now()), { deadline, parties: base.parties, ...(document._tag === "Upload" ? { document: document.pdf } : {}) })
        if (Result.isFailure(checked)) return problemAnswer(checked.failure, c.req.path)
        return answer(c, createEnterpriseContract(c.get("key"), { name: base.name, mode: base.mode ?? "simultaneous", deadline, parties: base.parties, document }), contractAnswer(201))
      }),
    listContracts: async (c) => {
      const q = decodeOrProblem(ListQuery, c.req.query())
      if (Result.isFailure(q)) return problemResponse(c, q.failure)
      const page = q.success.page ?? 1
      const pageSize = q.success.pageSize ?? 20
      return send(c, await answer(c, listEnterpriseContracts({
        enterpriseId: c.get("key").enterpriseId,
        status: q.success.status === undefined ? undefined : [q.success.status],
        nameContains: q.success.name,
        createdFrom: q.success.createdFrom === undefined ? undefined : deadlineOf(q.success.createdFrom),
        createdBefore: q.success.createdTo === undefined ? undefined : deadlineOf(q.success.createdTo),
        after: q.success.after === undefined ? undefined : cursorOf(q.success.after),
        limit: pageSize, offset: (page - 1) * pageSize,
      }), (r) => json(200, { items: r.items.map(contractResource), total: r.total, page, pageSize, next: r.next === undefined ? null : cursorText(r.next) })))
    },
    getContract: async (c) => {
      const id = contractId(c)
      if (Result.isFailure(id)) return problemResponse(c, problems.notFound())
      return send(c, await answer(c, enterpriseContract(c.get("key").enterpriseId, id.success), contractAnswer(200)))
    },
    downloadDocument: async (c) => {
      const id = contractId(c)
      if (Result.isFailure(id)) return problemResponse(c, problems.notFound())
      const a = await answer(c, downloadEnterpriseContract(c.get("key").enterpriseId, id.success), ({ contract, pdf }) => ({ status: 200, contentType: "application/pdf", body: pdf, name: contract.id }))
      return send(c, a, a.status === 200 ? { "content-disposition": `attachment; filename="contract-${id.success}.pdf"`, "x-content-type-options": "nosniff" } : {})
    },
    downloadEvidence: async (c) => {
      const id = contractId(c)
      if (Result.isFailure(id)) return problemResponse(c, problems.notFound())
      return send(c, await answer(c, enterpriseEvidenceBundle(c.get("key").enterpriseId, id.success), (bundle) => json(200, bundle)))
    },
    revokeContract: (c) =>
      once(c, async () => {
        const id = contractId(c)
        if (Result.isFailure(id)) return problemAnswer(problems.notFound(), c.req.path)
        return answer(c, revokeEnterpriseContract(c.get("key").enterpriseId, id.success), contractAnswer(200))
      }),
    remindContract: (c) =>
      once(c, async () => {
        const id = contractId(c)
        if (Result.isFailure(id)) return problemAnswer(problems.notFound(), c.req.path)
        const body = jsonBody(c, {})
        if (Result.isFailure(body)) return problemAnswer(body.failure, c.req.path)
        const input = decodeOrProblem(RemindBody, body.success)
        if (Result.isFailure(input)) return problemAnswer(input.failure, c.req.path)
        return answer(c, remindEnterpriseContract(c.get("key").enterpriseId, id.success, input.success.partyIndex), contractAnswer(200))
      }),
  }

  /** Contract id and decoded JSON body of a signing operation, or the problem with them. */
  const signingInput = async <S extends Schema.Decoder<unknown>>(c: ApiContext, schema: S): Promise<Result.Result<{ id: NumericId; input: S["Type"] }, ApiProblem>> => {
    const id = contractId(c)
    if (Result.isFailure(id)) return Result.fail(problems.notFound())
    // Another enterprise's contract is "not found" whatever the body says.
    const party = await deps.exit(enterprisePartyOf(c.get("key").enterpriseId, id.success))
    if (Exit.isFailure(party)) return Result.fail(problemOfExit(c, party))
    return Result.flatMap(jsonBody(c), (body) => Result.map(decodeOrProblem(schema, body), (input) => ({ id: id.success, input })))
  }
  const der = (b64: string) => new Uint8Array(Buffer.from(b64, "base64"))
  Object.assign(handlers, {
    prepareSignature: (c: ApiContext) =>
      once(c, async () => {
        const r = await signingInput(c, PrepareSignatureBody)
        if (Result.isFailure(r)) return problemAnswer(r.failure, c.req.path)
        const [certificate, ...chain] = r.success.input.certificateChain.map(der)
        const key = c.get("key")
        return answer(c, prepareForEnterprise(key.enterpriseId, key.id, r.success.id, certificate!, chain), (p) => json(200, {
          ...p, expiresAt: new Date(p.expiresAt).toISOString(), toBeSigned: Buffer.from(p.toBeSigned).toString("base64"),
        }))
      }),
    completeSignature: (c: ApiContext) =>
      once(c, async () => {
        const r = await signingInput(c, CompleteSignatureBody)
        if (Result.isFailure(r)) return problemAnswer(r.failure, c.req.path)
        const { preparedId, signatureValue, certificateChain } = r.success.input
        const key = c.get("key")
        // The prepared signature must be of this contract: another contract's id in the path is "not found".
        return answer(c, completeOnContract(r.success.id, preparedId, { kind: "api", apiKeyId: key.id }, der(signatureValue), certificateChain.map(der), { confirmation: "api-key" }), (done) => json(200, contractResource(done.contract)))
      }),
    autoSignContract: (c: ApiContext) =>
      once(c, async () => {
        const id = contractId(c)
        if (Result.isFailure(id)) return problemAnswer(problems.notFound(), c.req.path)
        const key = c.get("key")
        return answer(c, autoSignContract(key.enterpriseId, key.id, id.success), contractAnswer(200))
      }),
  })

  for (const op of operations) {
    const handler = handlers[op.operationId]
    if (handler === undefined) throw new Error(`no handler for ${op.operationId}`)
    app.on(op.method.toUpperCase(), op.path.replace(/\{(\w+)\}/g, ":$1"), authenticated, handler)
  }
  app.all("*", (c) => problemResponse(c, problems.notFound("no such operation; see /api/v1/openapi.json")))
  return app
}
