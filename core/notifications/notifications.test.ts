import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import { SmsOutbox } from "../../adapters/sms/index.ts"
import { TEST_EPOCH } from "../../fixtures/layers.ts"
import { layerOrganizationsTest, outcome, person } from "../../fixtures/organizations.ts"
import { sendCode } from "../otp/sendCode.ts"
import { NotificationRepository } from "../ports/NotificationRepository.ts"
import { noticeLink, noticeText } from "./Notification.ts"
import { markAllRead, myNotifications, openNotification, unreadCount } from "./notificationCentre.ts"
import { notify } from "./notify.ts"

describe("提醒: the notification centre is fed by the same notices as the SMS (issue 17)", () => {
  it.layer(layerOrganizationsTest)((it) => {
    it.effect("one notice keeps its row and texts the same words; the owner reads and opens it; another user cannot", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const [me, other] = [yield* person("钱七"), yield* person("孙八")]
        const sent = { template: "SIGNET_CONTRACT_REMIND", vars: { name: "采购合同", id: "1234567890123456789", link: "http://x/contracts/1234567890123456789" } } as const
        yield* notify(me.mobile, sent)
        yield* TestClock.adjust("1 minute")
        yield* notify(me.mobile, { template: "SIGNET_ORG_INVITED", vars: { enterprise: "示例有限公司", role: "经办人" } })
        // A one-time code is texted but never kept as a notice.
        yield* sendCode(me.mobile, "login")

        const [sms] = yield* (yield* SmsOutbox).recent(1, me.mobile)
        expect(sms?.text).toContain("验证码")
        const list = yield* myNotifications(me, 1)
        expect([list.total, list.unread, list.items.map((n) => n.template)]).toEqual([2, 2, ["SIGNET_ORG_INVITED", "SIGNET_CONTRACT_REMIND"]])
        const texts = (yield* (yield* SmsOutbox).recent(3, me.mobile)).map((m) => m.text)
        for (const n of list.items) expect(texts).toContain(`【Signet】${n.text}`)
        expect(list.items.map((n) => n.link)).toEqual(["/org", "/contracts/1234567890123456789"])

        // Another user neither sees nor opens them, nor marks them read.
        expect((yield* myNotifications(other, 1)).total).toBe(0)
        expect(yield* outcome(openNotification(other, list.items[1]!.id))).toBe("NotFound")
        yield* markAllRead(other)
        expect(yield* unreadCount(me)).toBe(2)

        const opened = yield* openNotification(me, list.items[1]!.id)
        expect(opened.link).toBe("/contracts/1234567890123456789")
        expect(yield* unreadCount(me)).toBe(1)
        expect(yield* markAllRead(me)).toBe(1)
        expect(yield* unreadCount(me)).toBe(0)
        expect((yield* (yield* NotificationRepository).list(me.mobile, { limit: 10, offset: 0 })).every((n) => n.readAt !== null)).toBe(true)
      }))
  })

  it("links lead only to fixed portal paths, whatever the variables say", () => {
    expect(noticeLink({ template: "SIGNET_CONTRACT_SENT", vars: { id: "//evil.example/x" } })).toBeNull()
    expect(noticeLink({ template: "SIGNET_ORDER_PAID", vars: { no: "../../x" } })).toBe("/orders")
    expect(noticeText({ template: "SIGNET_CONTRACT_REVOKED", vars: { name: "甲", id: "1" } })).toBe("《甲》（签约编号 1）已被发起方撤销。")
  })
})
