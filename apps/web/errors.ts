import type { AccountLocked, AddressBookFull, InvalidCredentials, MobileAlreadyRegistered, MobileNotRegistered, PasswordIncorrect, PasswordUnchanged, StaffUsernameTaken } from "../../core/accounts/AccountErrors.ts"
import type { Forbidden, NotFound, RepositoryError } from "../../core/kernel/errors.ts"
import type { OtpDailyLimitReached, OtpExpired, OtpIncorrect, OtpLocked, OtpNotRequested, OtpSendTooSoon, OtpMobileLocked } from "../../core/otp/OtpErrors.ts"
import type { SmsNotDelivered } from "../../core/ports/SmsSender.ts"
import { zhDateTime } from "../../core/kernel/time.ts"

export type DomainError =
  | MobileAlreadyRegistered | MobileNotRegistered | InvalidCredentials | AccountLocked | PasswordIncorrect | PasswordUnchanged
  | StaffUsernameTaken | AddressBookFull | OtpSendTooSoon | OtpDailyLimitReached | OtpNotRequested | OtpExpired
  | OtpLocked | OtpIncorrect | OtpMobileLocked | SmsNotDelivered | NotFound | Forbidden | RepositoryError

export interface Described {
  readonly status: 400 | 401 | 403 | 404 | 409 | 429 | 500 | 502
  /** The form field the message belongs next to ("_form" for the whole form). */
  readonly field: string
  readonly message: string
}

/** Every domain error the web app can meet, as an HTTP status and a zh-CN message. Exhaustive by type. */
export const describeError = (e: DomainError): Described => {
  switch (e._tag) {
    case "MobileAlreadyRegistered": return { status: 409, field: "mobile", message: "该手机号已注册，请直接登录" }
    case "MobileNotRegistered": return { status: 404, field: "mobile", message: "该手机号尚未注册" }
    case "InvalidCredentials": return { status: 401, field: "_form", message: "手机号或密码错误" }
    case "AccountLocked": return { status: 429, field: "_form", message: `该账户密码错误次数过多，已锁定至 ${zhDateTime(e.until)}，可通过短信验证码解锁` }
    case "PasswordIncorrect": return { status: 400, field: "oldPassword", message: "原密码不正确" }
    case "PasswordUnchanged": return { status: 400, field: "newPassword", message: "新密码不能与原密码相同" }
    case "StaffUsernameTaken": return { status: 409, field: "username", message: "该用户名已存在" }
    case "AddressBookFull": return { status: 400, field: "_form", message: `最多保存 ${e.limit} 个收货地址，请先删除不用的地址` }
    case "OtpSendTooSoon": return { status: 429, field: "code", message: `验证码发送过于频繁，请 ${e.retryAfterSeconds} 秒后再试` }
    case "OtpDailyLimitReached": return { status: 429, field: "code", message: "该手机号今日获取验证码次数已达上限（10 次），请明天再试" }
    case "OtpNotRequested": return { status: 400, field: "code", message: "请先获取验证码" }
    case "OtpExpired": return { status: 400, field: "code", message: "验证码已过期（有效期 5 分钟），请重新获取" }
    case "OtpLocked": return { status: 400, field: "code", message: "验证码错误次数过多，已失效，请重新获取" }
    case "OtpIncorrect":
      return { status: 400, field: "code", message: e.attemptsLeft > 0 ? `验证码错误，还可尝试 ${e.attemptsLeft} 次` : "验证码错误，已无剩余次数，请重新获取" }
    case "OtpMobileLocked": return { status: 429, field: "code", message: `该手机号验证码错误次数过多，已锁定至 ${zhDateTime(e.until)}，届时再试` }
    case "SmsNotDelivered": return { status: 502, field: "code", message: "短信发送失败，请稍后重试" }
    case "NotFound": return { status: 404, field: "_form", message: "内容不存在或无权访问" }
    case "Forbidden": return { status: 403, field: "_form", message: "无权进行此操作" }
    case "RepositoryError": return { status: 500, field: "_form", message: "系统繁忙，请稍后重试" }
  }
}
