import type { Context } from "hono"
import { Result, Schema, SchemaIssue } from "effect"
import { fieldMessage } from "../web/messages.ts"
import type { NewContractIssue } from "../../core/contracts/NewContract.ts"
import type { ApiKeyInvalid, ApiNonceReplayed, ApiSignatureMismatch, ApiTimestampOutOfWindow, ApiUnauthenticated, IdempotencyInProgress, IdempotencyKeyReused, TemplateInputInvalid } from "../../core/api/ApiErrors.ts"
import type { CheckpointSigningFailed, NoCheckpoint, TreeSizeOutOfRange } from "../../core/evidence/EvidenceErrors.ts"
import type { AccountError, ContractError, InfrastructureError, SealError, SigningEngineError } from "../web/catalogue.ts"
import type { AutoSignRefused, AutoSignRefusal } from "../../core/seals/AutoSignAuthorization.ts"

/** Auto-signing refused: the code names why, the title says it in zh-CN. */
const AUTO_SIGN: Record<AutoSignRefusal, readonly [code: string, title: string]> = {
  none: ["auto_sign_not_authorized", "企业未授权该印章自动签署"],
  revoked: ["auto_sign_revoked", "自动签署授权已撤销"],
  expired: ["auto_sign_expired", "自动签署授权已过期"],
  notYetValid: ["auto_sign_not_yet_valid", "自动签署授权尚未生效"],
  outOfScope: ["auto_sign_out_of_scope", "本合同不在自动签署授权范围内（模板或签约对方不符）"],
  overCount: ["auto_sign_over_count", "自动签署授权的使用次数已用完"],
}
const autoSignProblem = (reason: AutoSignRefusal) => problems.autoSign(...AUTO_SIGN[reason])

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

/** The API's own wording of field codes (a Record over the core's codes: a new rule fails to compile until it is worded); other keys read as the portal's. */
const FIELD_DETAILS: Record<NewContractIssue, string> = {
  "deadline.past": "签约截止日期必须晚于现在",
  "parties.duplicate": "签署方手机号不能重复",
  "parties.enterpriseDuplicate": "同一企业只能作为一个签署方",
  "document.tooLarge": "合同文件不能超过 50 MB",
  "document.notPdf": "只支持 PDF 文件（按文件内容识别）",
}
const fieldDetail = (code: string): string => (FIELD_DETAILS as Record<string, string>)[code] ?? fieldMessage(code)

/** Decodes input with a Schema, or a 422 problem listing every field (JSON pointer, message key, zh-CN text). */
export const decodeOrProblem = <S extends Schema.Decoder<unknown>>(schema: S, input: unknown): Result.Result<S["Type"], ApiProblem> => {
  const r = Schema.decodeUnknownResult(schema)(input, { errors: "all", onExcessProperty: "ignore" })
  if (Result.isSuccess(r)) return Result.succeed(r.success)
  const errors = SchemaIssue.makeFormatterStandardSchemaV1()(r.failure.issue).issues.map((i) => {
    const code = i.message === "Missing key" ? "required" : i.message
    return { pointer: `/${(i.path ?? []).map(String).join("/")}`, code, detail: code === "required" ? "必填" : fieldDetail(code) }
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
  certificateUnconfirmed: P(422, "certificate_status_unconfirmed", "无法确认证书是否已被吊销，不能用于签署"),
  signatureInvalid: P(422, "signature_invalid", "签名值校验未通过"),
  autoSign: (code: string, title: string) => new ApiProblem(403, code, title),
  sealDisabled: P(409, "seal_disabled", "印章已停用"),
  unavailable: P(503, "dependency_unavailable", "时间戳或证书状态服务暂时不可用，请稍后重试"),
  internal: P(500, "internal_error", "系统繁忙，请稍后重试"),
  databaseUnavailable: P(503, "database_unavailable", "数据库暂时不可用，请稍后重试"),
}

/**
 * Every error an API use case can fail with. The Record below words each (a
 * new tag in a use case's union fails to compile at `answer` until it is
 * here); the infrastructure and signing-engine failures are incidents (500,
 * logged with an incident id).
 */
export type ApiError =
  | ApiUnauthenticated | ApiKeyInvalid | ApiSignatureMismatch | ApiTimestampOutOfWindow | ApiNonceReplayed | IdempotencyKeyReused | IdempotencyInProgress
  | TemplateInputInvalid | NoCheckpoint | CheckpointSigningFailed | TreeSizeOutOfRange | AutoSignRefused | ContractError | SealError | AccountError | InfrastructureError | SigningEngineError

type ProblemCatalogue = { readonly [T in ApiError["_tag"]]: (e: Extract<ApiError, { readonly _tag: T }>) => ApiProblem }

const internal = () => problems.internal()
const stateConflict = (e: { readonly _tag: string }) => problems.stateConflict(e._tag)

const PROBLEMS: ProblemCatalogue = {
  ApiUnauthenticated: (e) => problems.unauthenticated(e.detail),
  ApiKeyInvalid: () => problems.invalidKey(),
  ApiSignatureMismatch: () => problems.invalidSignature("expected HMAC-SHA256(secret, METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nSHA256(BODY)) in hex"),
  ApiTimestampOutOfWindow: (e) => problems.timestamp(`clock skew ${e.skewSeconds} s`),
  ApiNonceReplayed: () => problems.nonce(),
  IdempotencyKeyReused: () => problems.idempotencyReused(),
  IdempotencyInProgress: () => problems.idempotencyInProgress(),
  NotFound: () => problems.notFound(),
  ContractDocumentInvalid: (e) => problems.invalidDocument(e.reason),
  ContractFieldsInvalid: (e) => problems.invalidDocument(`fields[${e.index}] (${e.kind}, page ${e.page} of ${e.pages}): ${e.problem}`),
  TemplateInputInvalid: (e) => problems.invalidTemplate(`${e.field}: ${e.reason}`),
  TemplateCharactersUnsupported: (e) => problems.invalidTemplate(`characters the contract font lacks: ${e.characters}`),
  RemindTooSoon: (e) => problems.remindTooSoon(e.retryAfterSeconds),
  ContractBusy: () => problems.busy(),
  InitiatorNotVerified: () => problems.notVerified(),
  SmsQuotaExceeded: (e) => problems.smsQuota(`daily ${e.limit} limit reached`),
  NoCheckpoint: () => problems.noEvidence(),
  ContractNotInProgress: stateConflict, ContractAlreadySent: stateConflict, ContractIncomplete: stateConflict, PartyNotOnContract: stateConflict,
  PartyAlreadyActed: stateConflict, SignerOutOfTurn: stateConflict, DeadlinePassed: stateConflict, DeadlineNotReached: stateConflict,
  NotInitiator: stateConflict, ContractNotDraft: stateConflict,
  PreparedSignatureNotFound: () => problems.preparedNotFound(),
  PreparedSignatureExpired: () => problems.preparedExpired(),
  PreparedSignatureUsed: () => problems.preparedUsed(),
  PreparedSignatureStale: () => problems.preparedStale(),
  CertificateNotOfParty: (e) => problems.certificateNotOfParty(`${e.subject} / ${e.party}`),
  CertificateRevoked: (e) => problems.certificateRevoked(`serial ${e.serialHex}`),
  CertificateUnusable: (e) => problems.certificateUnusable(e.reason),
  CertificateStatusUnconfirmed: (e) => problems.certificateUnconfirmed(`serial ${e.serialHex}: ${e.reason}`),
  ExternalSignatureInvalid: (e) => problems.signatureInvalid(e.reason),
  AutoSignRefused: (e) => autoSignProblem(e.reason),
  SealDisabled: () => problems.sealDisabled(),
  TimestampFailed: () => problems.unavailable(), CertificateStatusUnavailable: () => problems.unavailable(), RevocationUnavailable: () => problems.unavailable(),
  // Portal-only refusals an API act never meets today, and infrastructure: incidents.
  EnterprisePartyInvalid: internal, InitiatorNotAllowed: internal, EnterpriseSigningIncomplete: internal, ProviderNotEligible: internal, PlatformNotConfigured: internal,
  TemplateLayoutInvalid: internal, TemplateValuesInvalid: internal, KeyHeldNotOffered: internal,
  SealImageRejected: internal, SealTextUnprintable: internal, SealTypeNotGenerated: internal, SealNotAuthorized: internal, SealGrantTargetInvalid: internal,
  SignatureNotDelegated: internal, SignatureMissing: internal, DelegationWindowInvalid: internal, DelegationTargetInvalid: internal,
  MobileAlreadyRegistered: internal, MobileNotRegistered: internal, InvalidCredentials: internal, AccountLocked: internal, PasswordIncorrect: internal,
  PasswordUnchanged: internal, StaffUsernameTaken: internal, AddressBookFull: internal, OtpSendTooSoon: internal, OtpDailyLimitReached: internal,
  OtpNotRequested: internal, OtpExpired: internal, OtpLocked: internal, OtpIncorrect: internal, OtpMobileLocked: internal,
  Forbidden: internal, RepositoryError: internal, SmsNotDelivered: internal, BlobStoreError: internal, SigningIdentityUnavailable: internal, SealIdentityFailed: internal,
  PdfMalformed: internal, PdfEncrypted: internal, PdfLimitExceeded: internal, PageNotFound: internal, SignatureFieldNameTaken: internal, SealImageInvalid: internal,
  DocumentLocked: internal, SignatureContentsTooSmall: internal, UnsupportedAlgorithm: internal, KeyNotFound: internal, KeyStoreFailed: internal,
  SigningFailed: internal, WorkRefused: internal, CheckpointSigningFailed: internal, TreeSizeOutOfRange: internal, ContractHandoverTargetInvalid: internal,
  VerifiedNameLocked: internal,
}

/** The problem for an expected failure of a use case, from the catalogue above. */
export const problemOf = <E extends ApiError>(error: E): ApiProblem => (PROBLEMS[error._tag as ApiError["_tag"]] as (e: E) => ApiProblem)(error)
