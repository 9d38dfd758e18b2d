/**
 * The web app's error catalogue: every error a portal use case can fail with,
 * by its tag (its code), as an HTTP status, the form field it belongs next to
 * and the zh-CN sentence the user reads. Core errors carry codes and data,
 * never sentences; this is the one place the portal words them.
 *
 * Each section is typed `Catalogue<ItsErrors>` (a key per tag, no default),
 * and the whole is `Catalogue<WebError>`: a new error in a use case's union
 * fails to compile at the route that shows it until it is added here.
 */
import type { AccountLocked, AddressBookFull, InvalidCredentials, MobileAlreadyRegistered, MobileNotRegistered, PasswordIncorrect, PasswordUnchanged, StaffUsernameTaken, VerifiedNameLocked } from "../../core/accounts/AccountErrors.ts"
import type { ArchiveItemNotDeletable, FolderNameTaken, FolderNotEmpty, UploadNotPdf } from "../../core/archive/ArchiveErrors.ts"
import type {
  ContractAlreadySent, ContractBusy, ContractDocumentInvalid, ContractFieldsInvalid, ContractIncomplete, ContractNotDraft, ContractNotInProgress, DeadlineNotReached,
  DeadlinePassed, EnterprisePartyInvalid, HandoverTargetInvalid as ContractHandoverTargetInvalid, EnterpriseSigningIncomplete, InitiatorNotAllowed, InitiatorNotVerified, NotInitiator, PartyAlreadyActed, PartyNotOnContract,
  RemindTooSoon, SignerOutOfTurn, SmsQuotaExceeded, TemplateLayoutInvalid, TemplateValuesInvalid,
} from "../../core/contracts/ContractErrors.ts"
import type {
  CertificateNotOfParty, CertificateRevoked, CertificateStatusUnconfirmed, CertificateUnusable, ExternalSignatureInvalid, KeyHeldNotOffered, PreparedSignatureExpired, PreparedSignatureNotFound, PreparedSignatureStale, PreparedSignatureUsed,
} from "../../core/contracts/ExternalSignature.ts"
import type { PlatformNotConfigured, ProviderNotEligible } from "../../core/contracts/partnerPlatform.ts"
import type { TemplateCharactersUnsupported } from "../../core/contracts/templates.ts"
import type { Forbidden, NotFound, RepositoryError } from "../../core/kernel/errors.ts"
import { zhDateTime } from "../../core/kernel/time.ts"
import type { HandoverTargetInvalid } from "../../core/organizations/adminHandover.ts"
import type { AutoSignRefused, AutoSignWindowInvalid } from "../../core/seals/AutoSignAuthorization.ts"
import type { OrganizationError } from "../../core/organizations/OrganizationErrors.ts"
import type {
  DelegationTargetInvalid, DelegationWindowInvalid, SealDisabled, SealGrantTargetInvalid, SealImageRejected, SealNotAuthorized, SealTextUnprintable, SealTypeNotGenerated,
  SignatureMissing, SignatureNotDelegated,
} from "../../core/seals/sealsErrors.ts"
import type { OtpDailyLimitReached, OtpExpired, OtpIncorrect, OtpLocked, OtpMobileLocked, OtpNotRequested, OtpSendTooSoon } from "../../core/otp/OtpErrors.ts"
import type { BlobStoreError } from "../../core/ports/BlobStore.ts"
import type { PdfError, SignatureContentsTooSmall } from "../../core/signing/pdf/PdfErrors.ts"
import type { UnsupportedAlgorithm } from "../../core/signing/cms/algorithms.ts"
import type { KeyNotFound, KeyStoreFailed } from "../../core/ports/KeyStore.ts"
import type { SigningFailed } from "../../core/ports/Signer.ts"
import type { WorkRefused } from "../../core/ports/UntrustedWork.ts"
import type { CertificateStatusUnavailable } from "../../core/ports/CertificateStatus.ts"
import type { RevocationUnavailable } from "../../core/ports/RevocationFetcher.ts"
import type { SealIdentityFailed } from "../../core/ports/SealIdentity.ts"
import type { SigningIdentityUnavailable } from "../../core/ports/SigningIdentity.ts"
import type { SmsNotDelivered } from "../../core/ports/SmsSender.ts"
import type { TimestampFailed } from "../../core/ports/Tsa.ts"
import type { LetterCharactersUnsupported } from "../../core/verification/authorizationLetter.ts"
import type {
  AlreadyVerified, EnterpriseAlreadyVerified, IdentityProviderUnavailable, IdentityRejected, IdNumberBirthInFuture, IdPhotoSidesSame,
  PersonalVerificationRequired, UploadEmpty, UploadImageSize, UploadTooLarge, UploadTypeNotAllowed, VerificationStepRefused,
} from "../../core/verification/VerificationErrors.ts"
import type {
  InvalidApplication, InvalidRefundAmount, InvalidTaxpayerId, KeyMakingFailed, LostCertificateMismatch, LostCertificateUnknown, OrderAlreadyPaid, OrderChangedConcurrently, OrderTransitionRefused, PaymentAmountMismatch,
  PaymentTradeReused, ReasonRequired, UnknownPackage, UnknownPickupPoint, WrongDeliveryMethod,
} from "../../core/orders/OrderErrors.ts"
import type { InvoiceIssueFailed } from "../../core/ports/InvoiceIssuer.ts"
import type { InvoiceTransitionRefused } from "../../core/orders/invoiceMachine.ts"
import { slotText } from "./views/ordersText.tsx"
import { yuanString } from "../../core/orders/Money.ts"
import type { MaterialSlot } from "../../core/orders/orderMaterials.ts"
import type { PaymentGatewayFailed, PaymentNotificationRejected, PaymentRefundRefused } from "../../core/ports/PaymentGateway.ts"

export interface Described {
  readonly status: 400 | 401 | 403 | 404 | 409 | 429 | 500 | 502
  /** The form field the message belongs next to ("_form" for the whole form). */
  readonly field: string
  readonly message: string
}

/** Which input of the page at hand a "who" error (mobile) or an upload error (file) belongs next to. */
export interface Fields {
  readonly mobile: string
  readonly file: string
}

type Tagged = { readonly _tag: string }

/** A wording for every tag of `E`: a missing tag is a compile error, an extra one too. */
export type Catalogue<E extends Tagged> = { readonly [T in E["_tag"]]: (e: Extract<E, { readonly _tag: T }>, at: Fields) => Described }

const BUSY = "系统繁忙，请稍后重试"
const form = (status: Described["status"], message: string): Described => ({ status, field: "_form", message })

// ── kernel, ports and infrastructure ────────────────────────────────────────
export type InfrastructureError =
  | NotFound | Forbidden | RepositoryError | SmsNotDelivered | BlobStoreError | SigningIdentityUnavailable | SealIdentityFailed
  | TimestampFailed | RevocationUnavailable | CertificateStatusUnavailable

const infrastructure: Catalogue<InfrastructureError> = {
  NotFound: () => form(404, "内容不存在或无权访问"),
  Forbidden: () => form(403, "您没有此操作的权限"),
  RepositoryError: () => form(500, BUSY),
  BlobStoreError: () => form(500, BUSY),
  SmsNotDelivered: () => ({ status: 502, field: "code", message: "短信发送失败，请稍后重试" }),
  SigningIdentityUnavailable: () => form(500, "暂时无法签署（签名证书不可用），请稍后重试"),
  SealIdentityFailed: () => form(500, "暂时无法为印章签发证书，请稍后重试"),
  TimestampFailed: () => form(502, "暂时无法签署（时间戳服务不可用），请稍后重试"),
  RevocationUnavailable: () => form(502, "暂时无法签署（证书状态服务不可用），请稍后重试"),
  CertificateStatusUnavailable: () => form(502, "暂时无法查询证书状态，请稍后重试"),
}

// ── accounts and one-time codes (A1-A5) ─────────────────────────────────────
export type AccountError =
  | MobileAlreadyRegistered | MobileNotRegistered | InvalidCredentials | AccountLocked | PasswordIncorrect | PasswordUnchanged
  | StaffUsernameTaken | AddressBookFull | OtpSendTooSoon | OtpDailyLimitReached | OtpNotRequested | OtpExpired
  | OtpLocked | OtpIncorrect | OtpMobileLocked | VerifiedNameLocked

const accounts: Catalogue<AccountError> = {
  MobileAlreadyRegistered: () => ({ status: 409, field: "mobile", message: "该手机号已注册，请直接登录" }),
  MobileNotRegistered: () => ({ status: 404, field: "mobile", message: "该手机号尚未注册" }),
  InvalidCredentials: () => form(401, "手机号或密码错误"),
  AccountLocked: (e) => form(429, `该账户密码错误次数过多，已锁定至 ${zhDateTime(e.until)}，可通过短信验证码解锁`),
  PasswordIncorrect: () => ({ status: 400, field: "oldPassword", message: "原密码不正确" }),
  PasswordUnchanged: () => ({ status: 400, field: "newPassword", message: "新密码不能与原密码相同" }),
  StaffUsernameTaken: () => ({ status: 409, field: "username", message: "该用户名已存在" }),
  AddressBookFull: (e) => form(400, `最多保存 ${e.limit} 个收货地址，请先在“收货地址”中删除不用的地址`),
  OtpSendTooSoon: (e) => ({ status: 429, field: "code", message: `验证码发送过于频繁，请 ${e.retryAfterSeconds} 秒后再试` }),
  OtpDailyLimitReached: () => ({ status: 429, field: "code", message: "该手机号今日获取验证码次数已达上限（10 次），请明天再试" }),
  OtpNotRequested: () => ({ status: 400, field: "code", message: "请先获取验证码" }),
  OtpExpired: () => ({ status: 400, field: "code", message: "验证码已过期（有效期 5 分钟），请重新获取" }),
  OtpLocked: () => ({ status: 400, field: "code", message: "验证码错误次数过多，已失效，请重新获取" }),
  OtpIncorrect: (e) => ({ status: 400, field: "code", message: e.attemptsLeft > 0 ? `验证码错误，还可尝试 ${e.attemptsLeft} 次` : "验证码错误，已无剩余次数，请重新获取" }),
  VerifiedNameLocked: (e) => ({ status: 409, field: "name", message: `已完成实名认证，姓名不可修改（认证姓名：${e.verifiedName}）` }),
  OtpMobileLocked: (e) => ({ status: 429, field: "code", message: `该手机号验证码错误次数过多，已锁定至 ${zhDateTime(e.until)}，届时再试` }),
}

// ── contracts (C1-C10, 模板, keys the signer holds) ─────────────────────────
/** Issue 16: sending texts other people, so the sender must be verified; the contract forms add a link to 实名认证 under it. */
export const NOT_VERIFIED_MESSAGE = "发起签约会短信通知签署方，需先完成个人实名认证后再发起"

export type ContractError =
  | ContractNotInProgress | ContractAlreadySent | ContractIncomplete | PartyNotOnContract | PartyAlreadyActed | SignerOutOfTurn | DeadlinePassed
  | DeadlineNotReached | RemindTooSoon | ContractFieldsInvalid | ContractNotDraft | ContractDocumentInvalid | NotInitiator | ContractBusy
  | EnterprisePartyInvalid | InitiatorNotVerified | SmsQuotaExceeded | InitiatorNotAllowed | EnterpriseSigningIncomplete | ProviderNotEligible
  | PlatformNotConfigured | TemplateLayoutInvalid | TemplateValuesInvalid | TemplateCharactersUnsupported
  | PreparedSignatureNotFound | PreparedSignatureExpired | PreparedSignatureUsed | PreparedSignatureStale | CertificateNotOfParty | CertificateRevoked
  | CertificateUnusable | CertificateStatusUnconfirmed | KeyHeldNotOffered | ExternalSignatureInvalid | ContractHandoverTargetInvalid

const INCOMPLETE: Record<ContractIncomplete["reason"], string> = {
  "no-parties": "请至少添加一个签署方",
  "duplicate-party": "签署方手机号不能重复",
  "deadline-passed": "签约截止日期必须晚于现在",
}

const ENTERPRISE_PARTY: Record<EnterprisePartyInvalid["reason"], (row: string) => string> = {
  "not-found": (row) => `${row}不是已在平台完成企业认证的企业，请填写企业全称`,
  ambiguous: (row) => `${row}有多家同名企业，请联系平台确认`,
  "branch-not-found": (row) => `${row}没有所选的分公司`,
  "signer-not-member": (row) => `${row}的指定签署人不是该企业的在职成员`,
  duplicate: (row) => `${row}重复：同一企业只能作为一个签署方`,
}

const PROVIDER: Record<ProviderNotEligible["reason"], (who: string) => string> = {
  "not-verified": (who) => `${who}尚未在平台注册并完成企业认证，无法创建合同`,
  "no-signatory": (who) => `${who}尚未确认企业有权签字人，无法创建合同`,
  "is-owner": () => "不能与本平台所属企业自己签约，请填写服务商名称",
}

const FIELD_KINDS: Record<ContractFieldsInvalid["kind"], string> = { signature: "签名", seal: "印章", date: "日期" }

const FIELD_PROBLEMS: Record<ContractFieldsInvalid["problem"], (what: string, e: ContractFieldsInvalid) => string> = {
  pageMissing: (what, e) => `${what}在第 ${e.page} 页，文件只有 ${e.pages} 页`,
  noParty: (what) => `${what}不属于任何签署方`,
  sealForPerson: (what) => `${what}属于个人签署方：个人没有印章，请改为签名位置`,
  outsidePage: (what, e) => `${what}超出第 ${e.page} 页的范围，请拖回页面内`,
}

const contracts: Catalogue<ContractError> = {
  ContractNotInProgress: () => form(409, "该合同当前不可签署（已完成、已拒签、已撤销或已过期）"),
  ContractAlreadySent: () => form(409, "合同已发起，不能重复发起"),
  ContractIncomplete: (e) => form(400, INCOMPLETE[e.reason]),
  PartyNotOnContract: () => form(404, "您不是该合同的签署方"),
  PartyAlreadyActed: () => form(409, "您已处理过该合同"),
  SignerOutOfTurn: () => form(409, "顺序签署：请等待前序签署方完成签署"),
  DeadlinePassed: () => form(409, "已过签约截止日期"),
  DeadlineNotReached: () => form(409, "尚未到签约截止日期"),
  RemindTooSoon: (e) => form(429, `每小时只能提醒一次，请 ${Math.ceil(e.retryAfterSeconds / 60)} 分钟后再试`),
  ContractFieldsInvalid: (e) => ({ status: 400, field: "fields", message: FIELD_PROBLEMS[e.problem](`第 ${e.index + 1} 个签署位置（${FIELD_KINDS[e.kind]}）`, e) }),
  ContractNotDraft: () => form(409, "合同已发起，不能再修改或删除草稿"),
  ContractDocumentInvalid: (e) => ({ status: 400, field: "document", message: e.reason === "" ? "文件无法签署" : `文件无法签署：${e.reason}` }),
  NotInitiator: () => form(403, "只有发起方可以进行此操作"),
  ContractHandoverTargetInvalid: () => ({ status: 400, field: "userId", message: "只能移交给本企业在职、可在该机构发起合同的其他经办人" }),
  ContractBusy: () => form(409, "合同正在被其他签署方处理，请稍后重试"),
  EnterprisePartyInvalid: (e) => ({ status: 400, field: "parties", message: ENTERPRISE_PARTY[e.reason](`签署方「${e.name}」`) }),
  InitiatorNotVerified: () => form(403, NOT_VERIFIED_MESSAGE),
  SmsQuotaExceeded: (e) => form(429, e.limit === "account" ? "今日发送的签约短信已达上限，请明天再试" : "该手机号今日收到的签约短信已达上限，请明天再试"),
  InitiatorNotAllowed: () => ({ status: 403, field: "actAs", message: "您无权以该企业（分公司）身份发起签约" }),
  EnterpriseSigningIncomplete: (e) => form(400, e.missing === "seal" ? "请选择印章" : "请选择有权签字人签名"),
  ProviderNotEligible: (e) => ({ status: 400, field: "providerName", message: PROVIDER[e.reason](`服务商「${e.name}」`) }),
  PlatformNotConfigured: () => form(404, "未配置合作伙伴开放平台（SIGNET_PLATFORM_OWNER_CREDIT_CODE）"),
  // 模板 (issue 17): the layout and the values are described by the core rule that refused them (see ARCHITECTURE.md).
  TemplateLayoutInvalid: (e) => form(400, e.reason),
  TemplateValuesInvalid: (e) => ({ status: 400, field: e.key === "parties" ? "parties" : `v_${e.key}`, message: e.reason }),
  TemplateCharactersUnsupported: (e) => form(400, `内容中有无法显示的字符：${e.characters}`),
  // Keys the signer holds (issue 20).
  PreparedSignatureNotFound: () => form(404, "待签署记录不存在，请重新发起签署"),
  PreparedSignatureExpired: () => form(409, "本次签署已超过 10 分钟有效期，请重新发起签署"),
  PreparedSignatureUsed: () => form(409, "本次签署已完成，不能重复提交"),
  PreparedSignatureStale: () => form(409, "合同文件在准备签署后已更新（其他签署方已签署），请重新发起签署"),
  CertificateNotOfParty: (e) => form(400, `证书（${e.subject}）不属于签署方「${e.party}」，不能用于本次签署`),
  CertificateRevoked: (e) => form(400, `证书（序列号 ${e.serialHex}）已被吊销，不能用于签署`),
  CertificateUnusable: (e) => form(400, `证书不可用于签署：${e.reason}`),
  CertificateStatusUnconfirmed: (e) => form(400, `无法确认证书（序列号 ${e.serialHex}）是否已被吊销：${e.reason}。为安全起见不能用于签署，请稍后重试或联系证书签发机构`),
  KeyHeldNotOffered: () => form(403, "平台没有签署方在本平台购买的 USB-Key 证书记录，也未配置其他受信任的 CA，不能使用 USB-Key 签署，请使用短信验证码签署"),
  ExternalSignatureInvalid: (e) => form(400, `签名值校验未通过：${e.reason}`),
}

// ── seals and signatures (E5-E7) ────────────────────────────────────────────
export type SealError =
  | SealImageRejected | SealTextUnprintable | SealTypeNotGenerated | SealDisabled | SealNotAuthorized | SealGrantTargetInvalid
  | SignatureNotDelegated | SignatureMissing | DelegationWindowInvalid | DelegationTargetInvalid

const IMAGE: Record<SealImageRejected["reason"], string> = {
  empty: "请选择图片文件",
  tooLarge: "图片不能超过 5 MB",
  type: "只支持 PNG 或 JPG 图片（按文件内容判断）",
  dimensions: "图片尺寸不合适（边长 24-6000 像素，不超过 1600 万像素）",
  corrupt: "图片已损坏，无法读取",
  blank: "图片中没有找到印迹或笔迹（白色背景已去除）",
  busy: "系统繁忙，请稍后再试",
}

const seals: Catalogue<SealError> = {
  SealImageRejected: (e) => ({ status: 400, field: "image", message: IMAGE[e.reason] }),
  SealTextUnprintable: (e) => form(400, `企业名称中的“${e.characters}”无法生成印章，请上传印章图片`),
  SealTypeNotGenerated: () => ({ status: 400, field: "source", message: "法定代表人章请上传印章图片" }),
  SealDisabled: () => form(409, "该印章已停用"),
  SealNotAuthorized: () => form(403, "您未获授权使用该印章"),
  SealGrantTargetInvalid: () => ({ status: 400, field: "userId", message: "该成员不能被授权使用此印章（须为在职成员，且印章属于其所在机构）" }),
  SignatureNotDelegated: () => form(403, "未获该签字人授权，或授权已撤销、已过期、不在授权范围内"),
  SignatureMissing: () => form(409, "请先上传或手写签名"),
  DelegationWindowInvalid: () => ({ status: 400, field: "validUntil", message: "截止时间须晚于开始时间，且晚于现在" }),
  DelegationTargetInvalid: () => ({ status: 400, field: "agentUserId", message: "只能授权给本企业在职的其他经办人" }),
}

// ── 自动签署 authorizations (issue 20) ───────────────────────────────────────
export type AutoSignError = AutoSignWindowInvalid | AutoSignRefused

const AUTO_SIGN_REFUSALS: Record<AutoSignRefused["reason"], string> = {
  none: "企业未授权该印章自动签署",
  revoked: "自动签署授权已撤销",
  expired: "自动签署授权已过期",
  notYetValid: "自动签署授权尚未生效",
  outOfScope: "本合同不在自动签署授权范围内（模板或签约对方不符）",
  overCount: "自动签署授权的使用次数已用完",
}

const autoSign: Catalogue<AutoSignError> = {
  AutoSignWindowInvalid: () => ({ status: 400, field: "validUntil", message: "有效期的结束时间须晚于开始时间和当前时间" }),
  AutoSignRefused: (e) => form(403, AUTO_SIGN_REFUSALS[e.reason]),
}

// ── organizations (E1-E4) ───────────────────────────────────────────────────
export type OrgError = OrganizationError | HandoverTargetInvalid

const organizations: Catalogue<OrgError> = {
  InviteeNotRegistered: (_, at) => ({ status: 400, field: at.mobile, message: "该手机号尚未注册 Signet 账户，请对方先注册并完成个人实名认证" }),
  InviteeNotVerified: (_, at) => ({ status: 400, field: at.mobile, message: "该用户尚未完成个人实名认证，认证后才能加入企业" }),
  AlreadyInRole: (_, at) => ({ status: 409, field: at.mobile, message: "该用户已是本企业的此角色" }),
  InvitationAlreadyPending: (_, at) => ({ status: 409, field: at.mobile, message: "已向该用户发出邀请，正在等待对方确认" }),
  InvitationClosed: () => form(409, "该邀请已处理（已接受、已拒绝、已撤回或已过期）"),
  BranchNameTaken: () => ({ status: 409, field: "name", message: "已有同名的分公司" }),
  NotABranch: () => ({ status: 400, field: "branchId", message: "分公司管理员只能设置在分公司，不能设置在总公司" }),
  AdminRoleFixed: () => form(409, "管理员不能被注销或改变角色，请先通过“更换管理员”移交"),
  RoleNeedsInvitation: () => ({ status: 409, field: "roles", message: "有权签字人需通过“签署人”页面邀请，经本人确认后生效" }),
  RolesRequired: () => ({ status: 400, field: "roles", message: "请至少保留一个角色；如需移除该成员，请使用“注销”" }),
  MemberInactive: () => form(409, "该成员已注销"),
  MemberChanged: () => form(409, "该成员信息刚被他人修改，请刷新后重试"),
  HandoverAlreadyPending: () => form(409, "已有一个更换管理员的请求在等待新管理员确认，请先撤销"),
  HandoverClosed: () => form(409, "该请求已失效（已接受、已撤销或已过期）"),
  HandoverExpired: () => form(409, "该请求已超过 72 小时，已过期；请联系原管理员重新发起"),
  HandoverTargetInvalid: (_, at) => ({ status: 400, field: at.mobile, message: "新管理员不能是您本人" }),
}

// ── 我的合同 (M1-M4) ─────────────────────────────────────────────────────────
export type ArchiveError = FolderNameTaken | FolderNotEmpty | ArchiveItemNotDeletable | UploadNotPdf

const archive: Catalogue<ArchiveError> = {
  FolderNameTaken: () => ({ status: 409, field: "folderName", message: "已有同名文件夹" }),
  FolderNotEmpty: () => form(409, "文件夹不为空，请先把合同移出"),
  ArchiveItemNotDeletable: () => form(409, "平台上签署的合同不能删除，只能删除本地上传的合同"),
  // The verifier's zh-CN reason for a file it cannot read (core/untrusted: the signing engine's own wording).
  UploadNotPdf: (e) => ({ status: 400, field: "document", message: e.reason === "" ? "文件无法读取为 PDF" : `无法验证：${e.reason}` }),
}

// ── the signing engine: a document it cannot sign after all reads as "busy" (the upload checks come first) ──
export type SigningEngineError = PdfError | SignatureContentsTooSmall | UnsupportedAlgorithm | KeyNotFound | KeyStoreFailed | SigningFailed | WorkRefused

const signingEngine: Catalogue<SigningEngineError> = {
  PdfMalformed: () => form(500, BUSY),
  PdfEncrypted: () => form(500, BUSY),
  PdfLimitExceeded: () => form(500, BUSY),
  PageNotFound: () => form(500, BUSY),
  SignatureFieldNameTaken: () => form(500, BUSY),
  SealImageInvalid: () => form(500, BUSY),
  DocumentLocked: () => form(500, BUSY),
  SignatureContentsTooSmall: () => form(500, BUSY),
  UnsupportedAlgorithm: () => form(500, BUSY),
  KeyNotFound: () => form(500, BUSY),
  KeyStoreFailed: () => form(500, BUSY),
  SigningFailed: () => form(500, BUSY),
  WorkRefused: () => form(500, BUSY),
}

// ── verification (V1-V6) ────────────────────────────────────────────────────
export type VerificationError =
  | UploadEmpty | UploadTooLarge | UploadTypeNotAllowed | UploadImageSize | AlreadyVerified | IdNumberBirthInFuture | IdPhotoSidesSame
  | IdentityRejected | IdentityProviderUnavailable | PersonalVerificationRequired | VerificationStepRefused
  | EnterpriseAlreadyVerified | LetterCharactersUnsupported

const identityReasons: Record<IdentityRejected["reason"], { field: string; message: string }> = {
  "name-mismatch": { field: "name", message: "姓名与身份证号码不一致，请核对" },
  "id-number-not-found": { field: "idNumber", message: "身份证号码不存在或未登记，请核对" },
  "card-not-bound-to-mobile": { field: "mobile", message: "该手机号不是此银行卡的预留手机号" },
  "card-holder-mismatch": { field: "bankCard", message: "银行卡与身份信息不匹配，请使用本人名下的银行卡" },
  "card-not-supported": { field: "bankCard", message: "暂不支持该银行卡，请更换其他银行卡" },
  "id-photo-unreadable": { field: "photo", message: "身份证照片无法识别，请重新上传清晰的照片" },
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)

const verification: Catalogue<VerificationError> = {
  UploadEmpty: (_, at) => ({ status: 400, field: at.file, message: "请选择要上传的文件" }),
  UploadTooLarge: (e, at) => ({ status: 400, field: at.file, message: `文件大小不能超过 10M（所选文件 ${mb(e.size)}M）` }),
  UploadTypeNotAllowed: (e, at) => ({
    status: 400, field: at.file,
    message: e.kind === "letter"
      ? "仅支持 jpeg、jpg、png 图片或 PDF 文件（所选文件的内容不是这些格式）"
      : e.found === "application/pdf"
      ? "所选文件是 PDF，照片仅限jpeg、jpg、png格式"
      : "照片仅限jpeg、jpg、png格式（所选文件的内容不是图片）",
  }),
  UploadImageSize: (e, at) => ({ status: 400, field: at.file, message: `图片尺寸不合适（${e.width}×${e.height} 像素），请上传清晰的照片（每边至少 200 像素）` }),
  AlreadyVerified: () => ({ status: 409, field: "_form", message: "您已完成个人实名认证，无需重复认证" }),
  IdNumberBirthInFuture: () => ({ status: 400, field: "idNumber", message: "身份证号中的出生日期晚于今天，请检查" }),
  IdPhotoSidesSame: () => ({ status: 400, field: "backPhoto", message: "身份证正面和反面须为两张不同的照片" }),
  IdentityRejected: (e) => ({ status: 400, ...identityReasons[e.reason] }),
  IdentityProviderUnavailable: () => ({ status: 502, field: "_form", message: "实名认证服务暂时不可用，请稍后重试（验证码需重新获取）" }),
  PersonalVerificationRequired: () => ({ status: 403, field: "_form", message: "请先完成个人实名认证" }),
  VerificationStepRefused: () => ({ status: 409, field: "_form", message: "当前认证状态下不能进行此操作（可能正在审核中或已完成）" }),
  EnterpriseAlreadyVerified: () => ({ status: 409, field: "creditCode", message: "该统一社会信用代码的企业已完成认证，请联系该企业管理员" }),
  LetterCharactersUnsupported: (e) => ({ status: 400, field: "_form", message: `授权书暂无法打印以下字符：${e.characters}，请打印后手写补全再盖章上传` }),
}

// ── orders (O1-O10) ─────────────────────────────────────────────────────────
export type OrderError =
  | OrderTransitionRefused | OrderAlreadyPaid | PaymentAmountMismatch | WrongDeliveryMethod | ReasonRequired | UnknownPackage
  | UnknownPickupPoint | OrderChangedConcurrently | InvalidApplication | KeyMakingFailed | PaymentTradeReused | LostCertificateMismatch
  | PaymentGatewayFailed | PaymentNotificationRejected | InvalidRefundAmount | PaymentRefundRefused | LostCertificateUnknown | InvoiceTransitionRefused | InvoiceIssueFailed
  | InvalidTaxpayerId

const INVOICE_REFUSALS: Record<string, string> = {
  unpaid: "订单尚未支付，不能开票",
  closed: "订单已取消或已退款，不能开票；已开发票仅在退款后作废",
  medium: "发票类型不符：电子发票发送邮件，纸质发票填写快递寄出",
  document: "电子发票缺少发票文件，请重试",
  state: "发票当前状态下不能进行此操作，请刷新后查看",
  reason: "请填写作废原因",
}

const isSlot = (s: string): s is MaterialSlot =>
  ["licence", "holderIdFront", "holderIdBack", "agentIdFront", "agentIdBack", "applicationForm", "authorizationLetter", "serviceAgreement"].includes(s)

const orders: Catalogue<OrderError> = {
  OrderTransitionRefused: () => ({ status: 409, field: "_form", message: "订单当前状态下不能进行此操作，请刷新后查看" }),
  OrderAlreadyPaid: () => ({ status: 409, field: "_form", message: "订单已支付" }),
  PaymentAmountMismatch: () => ({ status: 409, field: "_form", message: "支付金额与订单金额不一致" }),
  WrongDeliveryMethod: (e) => ({ status: 409, field: "_form", message: e.delivery === "pickup" ? "自提订单不能发货，请发送自提通知" : "快递订单请填写物流信息发货" }),
  ReasonRequired: () => ({ status: 400, field: "reasons", message: "请填写原因" }),
  UnknownPackage: () => ({ status: 400, field: "packageId", message: "所选套餐不存在，请重新选择" }),
  UnknownPickupPoint: () => ({ status: 400, field: "pointId", message: "所选自提点不存在，请重新选择" }),
  OrderChangedConcurrently: () => ({ status: 409, field: "_form", message: "订单刚刚被更新，请刷新后重试" }),
  InvalidApplication: (e) => {
    const slot = e.issue.startsWith("material.") ? e.issue.slice("material.".length) : ""
    return isSlot(slot)
      ? { status: 400, field: slot, message: `请重新上传${slotText(slot, "enterprise")}（文件不存在或不属于您）` }
      : form(400, "申请信息不完整或不一致，请检查后重新提交")
  },
  KeyMakingFailed: () => ({ status: 502, field: "_form", message: "USB-Key 制作失败，请检查介质后重试" }),
  PaymentTradeReused: () => ({ status: 409, field: "_form", message: "该支付交易已用于其他订单" }),
  LostCertificateMismatch: () => ({ status: 409, field: "lostCertificateSerial", message: "该证书不属于本申请的持有人（企业或个人），不能补办；请选择本人名下的证书" }),
  LostCertificateUnknown: () => ({ status: 400, field: "lostCertificateSerial", message: "未找到本平台签发的该证书，请核对原证书序列号，或从“我的证书”中选择" }),
  InvoiceTransitionRefused: (e) => ({ status: 409, field: "_form", message: INVOICE_REFUSALS[e.why] ?? INVOICE_REFUSALS.state! }),
  InvoiceIssueFailed: () => ({ status: 502, field: "_form", message: "开票服务暂时不可用，未开具发票，请稍后重试" }),
  PaymentGatewayFailed: () => ({ status: 502, field: "_form", message: "支付服务暂时不可用，请稍后重试" }),
  PaymentNotificationRejected: () => ({ status: 400, field: "_form", message: "支付通知无效" }),
  InvalidRefundAmount: (e) => ({ status: 400, field: "refundAmount", message: e.refundableFen > 0 ? `退款金额须大于 0 且不超过可退金额 ￥${yuanString(e.refundableFen)}` : "该笔付款已无可退金额" }),
  InvalidTaxpayerId: () => ({ status: 400, field: "taxpayerId", message: "纳税人识别号为 15、17、18 或 20 位数字或大写字母" }),
  PaymentRefundRefused: () => ({ status: 409, field: "_form", message: "支付平台拒绝了退款，订单已转入待退款" }),
}

/** Every error the portal's routes show. */
export type WebError = SigningEngineError | InfrastructureError | VerificationError | OrderError | AutoSignError | AccountError | ContractError | SealError | OrgError | ArchiveError

const catalogue: Catalogue<WebError> = { ...signingEngine, ...infrastructure, ...verification, ...orders, ...autoSign, ...accounts, ...contracts, ...seals, ...organizations, ...archive }

/** Every code the catalogue words (for the coverage test). */
export const CATALOGUE_CODES: ReadonlyArray<WebError["_tag"]> = Object.keys(catalogue) as Array<WebError["_tag"]>

const DEFAULT_FIELDS: Fields = { mobile: "mobile", file: "_form" }

/** How the portal shows `e`: status, field and zh-CN message, from the one catalogue. */
export const describe = <E extends WebError>(e: E, at: Partial<Fields> = {}): Described =>
  (catalogue[e._tag as WebError["_tag"]] as (e: E, at: Fields) => Described)(e, { ...DEFAULT_FIELDS, ...at })

/** The zh-CN message of `e`. */
export const messageOf = (e: WebError): string => describe(e).message
