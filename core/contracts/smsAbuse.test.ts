/**
 * Issue 16, finding 6: a fresh unverified account sent 5 contracts to 4
 * arbitrary numbers in under a second, the texts carrying the attacker's
 * contract name ("【银行】账户异常请致电…"). Now sending needs a verified
 * identity, daily quotas per account and per recipient hold, and user text in
 * a text is capped and stripped of links, numbers and sign brackets.
 */
import { mkdtempSync } from "node:fs"
import { randomBytes } from "node:crypto"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Layer, Schema } from "effect"
import { TestClock } from "effect/testing"
import { layerSoftwareCa } from "../../adapters/signing-identity/index.ts"
import { SmsOutbox } from "../../adapters/sms/index.ts"
import { layerOrganizationsTest, outcome, person } from "../../fixtures/organizations.ts"
import { classicPdf } from "../../fixtures/pdfs/generate.ts"
import type { User } from "../accounts/User.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { AppLinks } from "../ports/AppLinks.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { SmsQuotaLimits } from "../ports/SmsQuota.ts"
import { smsVariable } from "../ports/SmsTemplates.ts"
import { remindParty } from "./contractActs.ts"
import { createContract, sendContract } from "./createContract.ts"

const stack = Layer.mergeAll(
  layerSoftwareCa(mkdtempSync(join(tmpdir(), "signet-sms-abuse-ca-")), new Uint8Array(randomBytes(32))),
  Layer.succeed(AppLinks, { contract: (id) => `http://127.0.0.1:3000/contracts/${id}` }),
).pipe(Layer.provideMerge(layerOrganizationsTest))

const BAIT = "【银行】账户异常请致电 400-123-4567 或访问 http://evil.example.cn/x 处理"

const draftTo = (sender: User, mobiles: ReadonlyArray<string>, name = "采购合同") =>
  Effect.gen(function*() {
    return yield* createContract(sender, {
      name, pdf: yield* Effect.promise(() => classicPdf(1, "Bait")), mode: "simultaneous",
      deadline: (yield* Clock.currentTimeMillis) + 3 * 24 * 3600_000, parties: mobiles.map((mobile, i) => ({ name: `收件人${i}`, mobile: Schema.decodeSync(Mobile)(mobile) })),
    })
  })
const textsTo = (mobile: string) => Effect.map(SmsOutbox.use((o) => o.recent(50, mobile)), (ms) => ms.map((m) => m.text))

describe("SMS abuse (issue 16 finding 6)", () => {
  it.layer(stack)((it) => {
    it.effect("an unverified account sends nothing: the contract stays a draft and no number is texted", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.now())
        const attacker = yield* person("攻击者", false)
        const victims = ["13700000001", "13700000002", "13700000003", "13700000004"]
        for (let i = 0; i < 5; i++) {
          const draft = yield* draftTo(attacker, victims, BAIT)
          expect(yield* outcome(sendContract(attacker, draft.id))).toBe("InitiatorNotVerified")
          expect((yield* ContractRepository.use((r) => r.find(draft.id))).pipe((o) => o._tag === "Some" && o.value.status)).toBe("draft")
        }
        for (const v of victims) expect(yield* textsTo(v)).toEqual([])
      }))

    it.effect("a verified sender's contract name reaches the text capped, without links, numbers or a fake sign", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.now())
        const sender = yield* person("张三")
        const draft = yield* draftTo(sender, ["13700000011"], BAIT)
        yield* sendContract(sender, draft.id)
        const [text] = yield* textsTo("13700000011")
        expect(text).toBeDefined()
        expect(text).not.toMatch(/银行】|【银行|400-123|4567|evil|http:\/\/evil/)
        expect(text!.startsWith("【Signet】")).toBe(true)
        expect(text!.match(/【/g)?.length).toBe(1)
        expect(text).toContain(`《${smsVariable(BAIT, 20)}》`)
        expect([...smsVariable(BAIT, 20)].length).toBeLessThanOrEqual(21)
      }))

    it.effect("daily quotas per recipient and per account, kept in the database: a refused send texts nobody and stays a draft", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.now())
        const sender = yield* person("李四")
        const other = yield* person("王五")
        const limited = <A, E, R>(e: Effect.Effect<A, E, R>) => Effect.provideService(e, SmsQuotaLimits, { perAccount: 4, perRecipient: 2 })
        const send = (who: User, mobiles: ReadonlyArray<string>) => Effect.flatMap(draftTo(who, mobiles), (d) => outcome(limited(sendContract(who, d.id))))
        expect(yield* send(sender, ["13700000021"])).toBe("success")
        expect(yield* send(other, ["13700000021"])).toBe("success")
        // A third text to that number today, whoever sends it, is refused.
        expect(yield* send(sender, ["13700000021"])).toBe("SmsQuotaExceeded")
        expect((yield* textsTo("13700000021")).length).toBe(2)
        // The account has used 1 of 4: three more numbers pass, a fourth does not (and none of that request is texted).
        expect(yield* send(sender, ["13700000022", "13700000023", "13700000024"])).toBe("success")
        expect(yield* send(sender, ["13700000025"])).toBe("SmsQuotaExceeded")
        expect(yield* textsTo("13700000025")).toEqual([])
        // Reminders count too.
        const first = (yield* ContractRepository.use((r) => r.list({ mobile: sender.mobile, userId: sender.id, limit: 1, offset: 0 }))).items[0]!
        expect(yield* outcome(limited(remindParty(sender, first.id, 0)))).toBe("SmsQuotaExceeded")
        // The next Beijing day the counters start again.
        yield* TestClock.adjust("1 day")
        expect(yield* send(sender, ["13700000025"])).toBe("success")
      }))
  })
})
