/**
 * One notice, two channels: the 提醒 row and the text message, from the same
 * template and variables. Every use case that tells someone something calls
 * this; nothing texts a notice without keeping it (one-time codes are no
 * notices: core/otp/sendCode.ts texts those alone).
 */
import { Clock, Effect } from "effect"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { NotificationRepository } from "../ports/NotificationRepository.ts"
import { SmsSender } from "../ports/SmsSender.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import type { SmsContent } from "../ports/SmsTemplates.ts"
import { Notification, noticeLink, noticeText } from "./Notification.ts"

/** The 提醒 row of a notice; inside a UnitOfWork it commits (or not) with the act it reports. */
export const recordNotice = Effect.fn("notifications.record")(function*(mobile: string, content: SmsContent) {
  const notification = new Notification({
    id: yield* (yield* IdGenerator).next, mobile, template: content.template,
    text: noticeText(content), link: noticeLink(content), createdAt: yield* Clock.currentTimeMillis, readAt: null,
  })
  yield* (yield* NotificationRepository).insert(notification)
  return notification
})

/** Texts a notice whose 提醒 row is kept (after the act committed): a failed text is logged, never raised. */
export const textNotice = (mobile: string, content: SmsContent) =>
  SmsSender.use((sms) => sms.send({ mobile, ...content })).pipe(
    Effect.catch((e) => Effect.logWarning("text message not sent", { template: content.template, reason: e.reason })),
  )

/** Someone to tell, and what. */
export interface Notice {
  readonly mobile: string
  readonly content: SmsContent
}

/**
 * Runs `act` in one transaction with the 提醒 rows of the notices it leads to
 * (an act and its notices commit together, or neither), then texts them once
 * committed (a text cannot be taken back, so it never goes out for an act
 * that rolled back).
 */
export const withNotices = <A, E, R, E2, R2>(act: Effect.Effect<A, E, R>, notices: (a: A) => Effect.Effect<ReadonlyArray<Notice>, E2, R2>) =>
  Effect.gen(function*() {
    const [result, told] = yield* (yield* UnitOfWork).transact(Effect.gen(function*() {
      const result = yield* act
      const told = yield* notices(result)
      for (const n of told) yield* recordNotice(n.mobile, n.content)
      return [result, told] as const
    }))
    for (const n of told) yield* textNotice(n.mobile, n.content)
    return result
  })

/**
 * Keeps the notice and texts it. Called once the act is committed: neither a
 * lost row nor a failed SMS undoes or fails the act it reports (both are
 * logged; the act's own page shows its state either way).
 */
export const notify = (mobile: string, content: SmsContent) =>
  Effect.all([
    recordNotice(mobile, content).pipe(Effect.catch((e) => Effect.logWarning("notice not kept", { template: content.template, reason: e.operation }))),
    textNotice(mobile, content),
  ], { discard: true })
