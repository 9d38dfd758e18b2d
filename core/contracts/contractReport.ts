/**
 * A contract's evidence for the people on it (B2): the bundle to download and
 * the evidence report (出证报告) with its verification code, and the public
 * check behind that code.
 */
import { Clock, Effect, Option, Result, Schema } from "effect"
import { Base64, Hex } from "effect/encoding"
import type { User } from "../accounts/User.ts"
import type { Contract } from "./Contract.ts"
import { partyOf, visibleContract } from "./store.ts"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { NotFound } from "../kernel/errors.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { maskMobile } from "../kernel/Mobile.ts"
import { AppLinks } from "../ports/AppLinks.ts"
import { Crypto } from "../ports/Crypto.ts"
import { base32 } from "../crypto/base32.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { PersonalVerificationRepository } from "../ports/VerificationRepository.ts"
import { WebCrypto } from "../ports/WebCrypto.ts"
import { checkTimestamp } from "../signing/verify/timestampCheck.ts"
import { Bundle } from "../evidence/Bundle.ts"
import { logVerifierKey } from "../evidence/checkpoint.ts"
import { exportBundle } from "../evidence/exportBundle.ts"
import { beijingTime, renderReport, type ReportParty } from "../evidence/report.ts"
import { verifyBundle } from "../evidence/verifyBundle.ts"

const subjectOf = (id: string) => `contract:${id}`

/** The bundle of a contract for one of its people: every event, with the openings of that person's own acts only. */
export const contractBundle = Effect.fn("evidence.contractBundle")(function*(user: User, id: NumericId) {
  yield* visibleContract(id, user)
  return yield* exportBundle(subjectOf(id), { withOpenings: true, onlyActor: user.id })
})

// Crockford base32: no I, L, O, U, so a code read aloud or retyped survives.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/** A report's verification code: 80 random bits, shown as XXXX-XXXX-XXXX-XXXX. */
const newCode = Effect.gen(function*() {
  const bytes = yield* (yield* Crypto).randomBytes(10)
  return base32(bytes, ALPHABET)
})

/** The canonical form of a typed code: case, dashes, spaces and look-alike letters forgiven. */
export const normalizeCode = (typed: string): string =>
  typed.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1")

export const formatCode = (code: string): string => code.replace(/(.{4})(?=.)/g, "$1-")

const STATUS: Readonly<Record<Contract["status"], string>> = {
  draft: "草稿", inProgress: "签署中", completed: "已完成", rejected: "已拒签", revoked: "已撤销", expired: "已过期",
}

/** Each party: who they are to the platform (实名认证) and how they confirmed their will (意愿确认), from the bundle's acts. */
const partiesOf = (contract: Contract, bundle: Bundle) =>
  Effect.gen(function*() {
    const users = yield* UserRepository
    const verifications = yield* PersonalVerificationRepository
    const acts = bundle.events.map((e) => JSON.parse(e.body) as { readonly type: string; readonly at: number; readonly data: Record<string, unknown> })
    const out: Array<ReportParty> = []
    for (const p of contract.parties) {
      const user = yield* users.findByMobile(p.mobile)
      const verified = Option.isSome(user) ? yield* verifications.find(user.value.id) : Option.none()
      const identity = Option.isSome(verified)
        ? `已通过个人实名认证（姓名、身份证号、银行卡、手机号四要素核验，${beijingTime(verified.value.verifiedAt)}）`
        : "未完成个人实名认证（以注册手机号及短信验证码识别）"
      const signed = acts.find((a) => a.type === "contract.signed" && a.data.party === p.index)
      const confirmation = signed !== undefined
        ? typeof signed.data.otpChallenge === "string"
          ? `短信验证码确认签署意愿，平台托管密钥数字签名（${beijingTime(signed.at)}）`
          : signed.data.keyHeld === "signer"
          ? `签署方自持密钥（USB-Key 等）数字签名，证书序列号 ${String(signed.data.certificateSerial)}（${beijingTime(signed.at)}）`
          : typeof signed.data.autoSignAuthorization === "string"
          ? `企业自动签署授权（授权编号 ${signed.data.autoSignAuthorization}）下经接口签署（${beijingTime(signed.at)}）`
          : `演示数据，未经短信确认（${beijingTime(signed.at)}）`
        : p.status === "rejected"
        ? `拒签（${p.actedAt === null ? "" : beijingTime(p.actedAt)}）`
        : "尚未签署"
      out.push({ name: p.name, mobile: maskMobile(p.mobile), identity, confirmation })
    }
    return out
  })

/**
 * Issues an evidence report for a contract: its bundle (no personal data
 * opened: the report is meant to be shown) is checked, frozen under a fresh
 * verification code, and rendered. Callers decide who may ask (the web route
 * asks visibleContract; the CLI is the operator).
 */
export const issueContractReport = Effect.fn("evidence.issueContractReport")(function*(
  contract: Contract,
  /** Who asks: a party or the initiator (their id is committed to), or the operator at the command line. */
  issuer: { readonly role: "initiator" | "party"; readonly userId: string } | { readonly role: "system" },
) {
  const store = yield* EvidenceStore
  // The portal's public address, as the contract links texted to people carry it.
  const portal = (yield* AppLinks).contract("0").replace(/\/contracts\/0$/, "")
  const bundle = yield* exportBundle(subjectOf(contract.id), { withOpenings: false })
  const checks = yield* verifyBundle(bundle, { logKey: bundle.logKey })
  const code = yield* newCode
  const now = yield* Clock.currentTimeMillis
  let timestamp: { time: number; tsa: string } | null = null
  const token = bundle.checkpoint.timestamp === null ? undefined : Base64.decode(bundle.checkpoint.timestamp)
  if (token !== undefined && Result.isSuccess(token)) {
    const ts = yield* checkTimestamp((yield* WebCrypto).crypto, (yield* Crypto).digest, token.success, new TextEncoder().encode(bundle.checkpoint.note), [])
    if (ts.time !== undefined) timestamp = { time: ts.time.getTime(), tsa: ts.tsa ?? "未知时间戳机构" }
  }
  // Issuing a report is an act on the contract like a download: recorded with the stored report, in one transaction.
  const document = yield* Effect.orDie(Effect.fromResult(Hex.decode(contract.documentSha256)))
  yield* withEvidence(store.saveReport({ code, subject: bundle.subject, bundle: JSON.stringify(bundle), createdAt: now }), () => ({
    type: "contract.downloaded", subjectId: contract.id, role: issuer.role, ...("userId" in issuer ? { actor: issuer.userId } : {}),
    document: { sha256: document },
    data: { status: contract.status, version: contract.documentVersion, what: "evidence_report" },
  }))
  const pdf = yield* renderReport(bundle, {
    contractName: contract.name, contractNumber: contract.id, status: STATUS[contract.status],
    parties: yield* partiesOf(contract, bundle), code: formatCode(code), verifyUrl: `${portal}/evidence/report/${formatCode(code)}`,
    issuedAt: now, timestamp, checks,
  })
  return { code: formatCode(code), pdf, bundle }
})

/** The report of a contract the user may see (its initiator or a party). */
export const contractReport = Effect.fn("evidence.contractReport")(function*(user: User, id: NumericId) {
  const contract = yield* visibleContract(id, user)
  return yield* issueContractReport(contract, { role: partyOf(contract, user) === undefined ? "initiator" : "party", userId: user.id })
})

/**
 * The public check behind a report's code: the bundle frozen with the report,
 * verified again now against this log's key. Holders of the code see the
 * contract number, the acts and the checks (no personal data: none was opened).
 */
export const checkReport = Effect.fn("evidence.checkReport")(function*(typed: string) {
  const code = normalizeCode(typed)
  const stored = /^[0-9A-Z]{16}$/.test(code) ? yield* (yield* EvidenceStore).reportByCode(code) : Option.none()
  if (Option.isNone(stored)) return yield* new NotFound({ entity: "evidence report", id: formatCode(code) })
  const bundle = yield* Schema.decodeUnknownEffect(Bundle)(JSON.parse(stored.value.bundle)).pipe(Effect.orDie)
  const checks = yield* verifyBundle(bundle, { logKey: yield* logVerifierKey })
  return { code: formatCode(code), issuedAt: stored.value.createdAt, bundle, checks }
})
