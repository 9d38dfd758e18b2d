/** Issue 16: daily SMS counters hold under concurrency on both dialects, and a refused request counts nothing. */
import { describe, expect } from "vitest"
import { Effect, Layer } from "effect"
import { itOnSqliteAndPostgres } from "../../fixtures/bothDatabases.ts"
import { SmsQuota } from "../../core/ports/SmsQuota.ts"
import { Database, migrate } from "./index.ts"
import { layerSmsQuota } from "./smsQuota.ts"

const limits = { perAccount: 5, perRecipient: 3 }

const run = (database: Layer.Layer<Database, unknown>) =>
  Effect.gen(function*() {
    yield* migrate
    const quota = yield* SmsQuota
    const take = (account: string, recipients: ReadonlyArray<string>, day = "2026-12-07") => quota.take({ account, recipients, day, limits })
    // 12 concurrent single texts by one account to distinct numbers: exactly 5 pass.
    const burst = yield* Effect.forEach(Array.from({ length: 12 }, (_, i) => `1390000${String(i).padStart(4, "0")}`), (m) => take("a1", [m]), { concurrency: "unbounded" })
    // 8 concurrent texts to one number from distinct accounts: exactly 3 pass.
    const toOne = yield* Effect.forEach(Array.from({ length: 8 }, (_, i) => `acct${i}`), (a) => take(a, ["13911112222"]), { concurrency: "unbounded" })
    // A request over a limit counts nothing: a2 asks for 2 texts to a number with 2 left of 3, then for 4 more (over its 5).
    const partial = [yield* take("a2", ["13933334444", "13933334444"]), yield* take("a2", ["13955556666", "13955556666", "13955556666", "13977778888"])]
    const afterRefusal = yield* take("a2", ["13933334444"])
    const nextDay = yield* take("a1", ["13900000000"], "2026-12-08")
    return { burst, toOne, partial, afterRefusal, nextDay }
  }).pipe(Effect.provide(layerSmsQuota.pipe(Layer.provideMerge(database))))

describe("SmsQuota on the sms_quota table", () => {
  itOnSqliteAndPostgres("sms quota", async (database) => {
    const r = await Effect.runPromise(run(database))
    expect(r.burst.filter((x) => x === "ok").length).toBe(5)
    expect(r.burst.filter((x) => x === "account").length).toBe(7)
    expect(r.toOne.filter((x) => x === "ok").length).toBe(3)
    expect(r.toOne.filter((x) => x === "recipient").length).toBe(5)
    // 13955556666 three times is within 3, but a2 would pass 5 (2 + 4): refused as a whole, so the number's count did not move.
    expect(r.partial).toEqual(["ok", "account"])
    expect(r.afterRefusal).toBe("ok")
    expect(r.nextDay).toBe("ok")
  })
})
