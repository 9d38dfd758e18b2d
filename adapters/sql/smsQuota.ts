import { Effect, Layer } from "effect"
import { SmsQuota } from "../../core/ports/SmsQuota.ts"
import { atomicallyOn, Database } from "./Database.ts"

/**
 * SmsQuota on the `sms_quota` table: each counter moves by a conditional
 * upsert (INSERT ... ON CONFLICT DO UPDATE ... WHERE count + n <= limit), so
 * two processes never both pass a limit; the counters of one request move in
 * one transaction, and a refused request puts back what it had counted.
 */
export const layerSmsQuota = Layer.effect(
  SmsQuota,
  Effect.gen(function*() {
    const atomically = atomicallyOn((yield* Database).db)
    return {
      take: ({ account, recipients, day, limits }) =>
        atomically("smsQuota.take", async (t) => {
          const wanted = new Map<string, { readonly n: number; readonly limit: number; readonly which: "account" | "recipient" }>()
          wanted.set(`a:${account}`, { n: recipients.length, limit: limits.perAccount, which: "account" })
          for (const r of recipients) {
            const prev = wanted.get(`r:${r}`)
            wanted.set(`r:${r}`, { n: (prev?.n ?? 0) + 1, limit: limits.perRecipient, which: "recipient" })
          }
          const taken: Array<readonly [string, number]> = []
          for (const [key, { n, limit, which }] of wanted) {
            const row = n > limit ? undefined : await t.insertInto("sms_quota").values({ key, day, count: n })
              .onConflict((oc) => oc.columns(["key", "day"]).doUpdateSet((eb) => ({ count: eb("sms_quota.count", "+", n) })).where("sms_quota.count", "<=", limit - n))
              .returning("count").executeTakeFirst()
            if (row === undefined) {
              for (const [k, m] of taken) await t.updateTable("sms_quota").set((eb) => ({ count: eb("count", "-", m) })).where("key", "=", k).where("day", "=", day).execute()
              return which
            }
            taken.push([key, n])
          }
          return "ok" as const
        }),
    }
  }),
)
