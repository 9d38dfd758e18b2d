import type { Context } from "hono"
import { Result, Schema, SchemaIssue } from "effect"
import { fieldMessage } from "../web/messages.ts"
import { AutoSignRefused, type AutoSignRefusal } from "../../core/seals/AutoSignAuthorization.ts"

const AUTO_SIGN_CODES: Record<AutoSignRefusal, string> = {
  none: "auto_sign_not_authorized", revoked: "auto_sign_revoked", expired: "auto_sign_expired", notYetValid: "auto_sign_not_yet_valid",
  outOfScope: "auto_sign_out_of_scope", overCount: "auto_sign_over_count",
}
/** Auto-signing refused: the code names why, the title says it in zh-CN (the error's own message). */
const autoSignProblem = (reason: AutoSignRefusal) => problems.autoSign(AUTO_SIGN_CODES[reason], new AutoSignRefused({ reason }).messageZh)

export interface FieldProblem {
  readonly pointer: string
  readonly code: string
  readonly detail: string
}

/** An RFC 9457 problem: HTTP status, a stable `code` clients switch on, a zh-CN title. */
export class ApiProblem {
  readonly status: number
  readonly code: string
  readonly title: string
  readonly detail: string | undefined
  readonly errors: ReadonlyArray<FieldProblem> | undefined
  readonly headers: Readonly<Record<string, string>>
  constructor(status: number, code: string, title: string, detail?: string, errors?: ReadonlyArray<FieldProblem>, headers: Readonly<Record<string, string>> = {}) {
    this.status = status
    this.code = code
    this.title = title
    this.detail = detail
    this.errors = errors
    this.headers = headers
  }
}

export const problemResponse = (c: Context, p: ApiProblem) =>
  c.body(JSON.stringify({
    type: `urn:signet:problem:${p.code}`,
    title: p.title,
    status: p.status,
    code: p.code,
    ...(p.detail === undefined ? {} : { detail: p.detail }),
    instance: c.req.path,
    ...(p.errors === undefined ? {} : { errors: p.errors }),
  }), p.status as 400, { ...p.headers, "content-type": "application/problem+json; charset=utf-8" })

/** Decodes input with a Schema, or a 422 problem listing every field (JSON pointer, message key, zh-CN text). */
export const decodeOrProblem = <S extends Schema.Decoder<unknown>>(schema: S, input: unknown): Result.Result<S["Type"], ApiProblem> => {
  const r = Schema.decodeUnknownResult(schema)(input, { errors: "all", onExcessProperty: "ignore" })
  if (Result.isSuccess(r)) return Result.succeed(r.success)
  const errors = SchemaIssue.makeFormatterStandardSchemaV1()(r.failure.issue).issues.map((i) => {
    const code = i.message === "Missing key" ? "required" : i.message
    return { pointer: `/${(i.path ?? []).map(String).join("/")}`, code, detail: code === "required" ? "必填" : fieldMessage(code) }
  })
  return Result.fail(new ApiProblem(422, "validation_failed", "请求内容不符合要求", `${errors.length} invalid field(s)`, errors))
}

const P = (status: number, code: string, title: string) => (detail?: string) => new ApiProblem(status, code, title, detail)

/** Every problem the API answers with, by the error that causes it. */
export const problems = {
  unauthenticated: P(401, "unauthenticated", "缺少或无法解析请求签名"),
  invalidKey: P(401, "invalid_key", "API 密钥不存在或已撤销"),
  invalidSignature: P(401, "invalid_signature", "请求签名不正确"),
  timestamp: P(401, "timestamp_out_of_window", "请求时间戳超出 5 分钟有效期"),
  nonce: P(401, "nonce_replayed", "请求随机数已被使用（重放的请求）"),
  rateLimited: (retryAfter: number) => new ApiProblem(429, "rate_limited", "请求过于频繁", `retry after ${retryAfter} s`, undefined, { "retry-after": String(retryAfter) }),
  malformed: P(400, "malformed_body", "请求体不是有效的 JSON 或表单"),
  unsupportedMedia: P(415, "unsupported_media_type", "请使用 application/json 或 multipart/form-data"),
  tooLarge: P(413, "payload_too_large", "请求体过大"),
  idempotencyReused: P(422, "idempotency_key_reused", "该 Idempotency-Key 已用于另一个请求"),
  idempotencyInProgress: P(409, "idempotency_in_progress", "相同 Idempotency-Key 的请求仍在处理"),
  notFound: P(404, "not_found", "资源不存在"),
  invalidDocument: P(422, "invalid_document", "合同文件或签署位置无效"),
  invalidTemplate: P(422, "invalid_template", "模板或模板内容无效"),
  stateConflict: P(409, "contract_state_conflict", "合同当前状态不允许该操作"),
  remindTooSoon: (retryAfter: number) => new ApiProblem(429, "remind_too_soon", "同一签署方每小时只能提醒一次", `retry after ${retryAfter} s`, undefined, { "retry-after": String(retryAfter) }),
  busy: P(503, "busy", "合同正被并发修改，请稍后重试"),
  notVerified: P(403, "initiator_not_verified", "发起签约会短信通知签署方，发起人需先完成个人实名认证"),
  smsQuota: P(429, "sms_quota_exceeded", "今日签约短信已达上限，请明天再试"),
  noEvidence: P(409, "evidence_unavailable", "存证尚未生成检查点，请稍后重试"),
  preparedNotFound: P(404, "prepared_not_found", "待签署记录不存在"),
  preparedExpired: P(410, "prepared_expired", "待签署记录已超过 10 分钟有效期，请重新准备"),
  preparedUsed: P(409, "prepared_used", "该待签署记录已完成，不能重复提交"),
  preparedStale: P(409, "prepared_stale", "合同文件在准备签署后已更新，请重新准备"),
  certificateNotOfParty: P(422, "certificate_not_of_party", "证书不属于该签署方"),
  certificateRevoked: P(422, "certificate_revoked", "证书已被吊销"),
  certificateUnusable: P(422, "certificate_unusable", "证书不可用于签署"),
  signatureInvalid: P(422, "signature_invalid", "签名值校验未通过"),
  autoSign: (code: string, title: string) => new ApiProblem(403, code, title),
  sealDisabled: P(409, "seal_disabled", "印章已停用"),
  unavailable: P(503, "dependency_unavailable", "时间戳或证书状态服务暂时不可用，请稍后重试"),
  internal: P(500, "internal_error", "系统繁忙，请稍后重试"),
  databaseUnavailable: P(503, "database_unavailable", "数据库暂时不可用，请稍后重试"),
}

/** The problem for an expected failure of a use case (by its tag); unknown tags are internal errors. */
export const problemOf = (error: { readonly _tag: string } & Record<string, unknown>): ApiProblem => {
  switch (error._tag) {
    case "ApiUnauthenticated": return problems.unauthenticated(String(error.detail))
    case "ApiKeyInvalid": return problems.invalidKey()
    case "ApiSignatureMismatch": return problems.invalidSignature("expected HMAC-SHA256(secret, METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nSHA256(BODY)) in hex")
    case "ApiTimestampOutOfWindow": return problems.timestamp(`clock skew ${String(error.skewSeconds)} s`)
    case "ApiNonceReplayed": return problems.nonce()
    case "IdempotencyKeyReused": return problems.idempotencyReused()
    case "IdempotencyInProgress": return problems.idempotencyInProgress()
    case "NotFound": return problems.notFound()
    case "ContractDocumentInvalid":
    case "ContractFieldsInvalid": return problems.invalidDocument(String(error.reason))
    case "TemplateInputInvalid": return problems.invalidTemplate(`${String(error.field)}: ${String(error.reason)}`)
    case "TemplateCharactersUnsupported": return problems.invalidTemplate(`characters the contract font lacks: ${String(error.characters)}`)
    case "RemindTooSoon": return problems.remindTooSoon(Number(error.retryAfterSeconds))
    case "ContractBusy": return problems.busy()
    case "InitiatorNotVerified": return problems.notVerified()
    case "SmsQuotaExceeded": return problems.smsQuota(`daily ${String(error.limit)} limit reached`)
    case "NoCheckpoint": return problems.noEvidence()
    case "ContractNotInProgress": case "ContractAlreadySent": case "ContractIncomplete": case "PartyNotOnContract":
    case "PartyAlreadyActed": case "SignerOutOfTurn": case "DeadlinePassed": case "DeadlineNotReached": case "NotInitiator": case "ContractNotDraft":
      return problems.stateConflict(error._tag)
    case "PreparedSignatureNotFound": return problems.preparedNotFound()
    case "PreparedSignatureExpired": return problems.preparedExpired()
    case "PreparedSignatureUsed": return problems.preparedUsed()
    case "PreparedSignatureStale": return problems.preparedStale()
    case "CertificateNotOfParty": return problems.certificateNotOfParty(`${String(error.subject)} / ${String(error.party)}`)
    case "CertificateRevoked": return problems.certificateRevoked(`serial ${String(error.serialHex)}`)
    case "CertificateUnusable": return problems.certificateUnusable(String(error.reason))
    case "ExternalSignatureInvalid": return problems.signatureInvalid(String(error.reason))
    case "AutoSignRefused": return autoSignProblem(error.reason as AutoSignRefusal)
    case "SealDisabled": return problems.sealDisabled()
    case "TimestampFailed": case "CertificateStatusUnavailable": return problems.unavailable()
    default: return problems.internal()
  }
}
