import { Clock, Effect } from "effect"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { Crypto } from "../ports/Crypto.ts"
import { LimitCounters } from "../ports/LimitCounters.ts"
import { OtpRepository } from "../ports/OtpRepository.ts"
import { SmsSender } from "../ports/SmsSender.ts"
import type { Mobile } from "../kernel/Mobile.ts"
import type { OtpId } from "../kernel/Ids.ts"
import { OtpChallenge, otpCounters, OtpPolicy, type OtpPurpose } from "./Otp.ts"
import { OtpSendTooSoon } from "./OtpErrors.ts"
import { checkSend, codeFromBytes } from "./otpRules.ts"
import { hashCode } from "./codeHash.ts"

/** What the text message says the code is for. */
const purposeLabel = (purpose: string): string => {
  const kind = purpose.split(":")[0]
  switch (kind) {
    case "register": return "注册账号"
    case "login": return "登录"
    case "reset": return "重置密码"
    case "sign": return "签署合同"
    case "verify-personal": return "个人实名认证"
    case "handover": return "更换企业管理员"
    case "unlock": return "解锁账户"
    default: return "身份确认"
  }
}

const drawCode = Effect.gen(function*() {
  const crypto = yield* Crypto
  for (;;) {
    const code = codeFromBytes(yield* crypto.randomBytes(4))
    if (code !== null) return code
  }
})

/**
 * A5: sends a fresh 6-digit code for `purpose` to `mobile`, valid 5 minutes.
 * A newer code replaces older ones for the same purpose. The 60 s interval is
 * also taken as a shared counter in one atomic update, so parallel requests on
 * several instances (which all read the same history) send one text.
 */
export const sendCode = Effect.fn("otp.sendCode")(function*(mobile: Mobile, purpose: OtpPurpose) {
  const repo = yield* OtpRepository
  const now = yield* Clock.currentTimeMillis
  const sent = yield* repo.sentSince(mobile, now - OtpPolicy.dayMs)
  yield* Effect.fromResult(checkSend(sent, now))
  const slot = yield* (yield* LimitCounters).hit(otpCounters.send(mobile), otpCounters.sendRule, now)
  if (slot.count > 1) return yield* new OtpSendTooSoon({ retryAfterSeconds: Math.max(1, Math.ceil((slot.windowEndsAt - now) / 1000)) })
  const code = yield* drawCode
  const id = (yield* (yield* IdGenerator).next) as string as OtpId
  const challenge = new OtpChallenge({
    id, mobile, purpose,
    codeHash: yield* hashCode(purpose, mobile, code),
    createdAt: now,
    expiresAt: now + OtpPolicy.ttlMs,
    failedAttempts: 0,
    consumedAt: null,
  })
  yield* repo.insert(challenge)
  yield* (yield* SmsSender).send({ mobile, template: "SIGNET_OTP", vars: { code, purpose: purposeLabel(purpose) } })
  return { expiresAt: challenge.expiresAt, resendAfterSeconds: OtpPolicy.resendIntervalMs / 1000 }
})
