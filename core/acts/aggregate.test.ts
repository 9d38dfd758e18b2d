import { describe, expect, it } from "@effect/vitest"
import { Data, Effect } from "effect"
import { TestClock } from "effect/testing"
import { layerTestNoEvidence, TEST_EPOCH } from "../../fixtures/layers.ts"
import { SmsOutbox } from "../../adapters/sms/index.ts"
import { NotificationRepository } from "../ports/NotificationRepository.ts"
import type { Notice } from "../notifications/notify.ts"
import { MAX_ATTEMPTS, runAct } from "./aggregate.ts"

/** A counter as the aggregate: its value and version, kept in memory; `losses` writes that another writer wins first. */
const counterStore = (losses: number) => {
  const stored = { value: 0, version: 0 }
  const log = { loads: 0, saves: 0, decided: [] as Array<number> }
  let lose = losses
  return {
    stored, log,
    store: {
      load: Effect.sync(() => {
        log.loads += 1
        return { ...stored }
      }),
      save: (next: { value: number; version: number }, current: { version: number }) =>
        Effect.sync(() => {
          log.saves += 1
          if (lose > 0) {
            // Someone else's write lands first: the stored version moves on.
            lose -= 1
            stored.value += 100
            stored.version += 1
            return false
          }
          if (stored.version !== current.version) return false
          Object.assign(stored, next)
          return true
        }),
      busy: () => new Busy(),
    },
  }
}
class Busy extends Data.TaggedError("Busy")<{}> {}
class Refused extends Data.TaggedError("Refused")<{}> {}

const MOBILE = "13912345678"
const notice: Notice = { mobile: MOBILE, content: { template: "SIGNET_ORDER_CANCELLED", vars: { no: "1" } } }
const texts = SmsOutbox.use((o) => o.recent(100, MOBILE)).pipe(Effect.map((l) => l.length))
const rows = NotificationRepository.use((r) => r.count(MOBILE))

describe("runAct: the aggregate write path", () => {
  it.layer(layerTestNoEvidence)((it) => {
    it.effect("a lost race is decided again on the newer state; the notice is kept and texted once, after the winning write", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const c = counterStore(2)
        const [rows0, texts0] = [yield* rows, yield* texts]
        const { saved } = yield* runAct(c.store, {
          loaded: { value: 0, version: 0 },
          decide: (current) => Effect.sync(() => {
            c.log.decided.push(current.value)
            return { next: { value: current.value + 1, version: current.version + 1 }, result: undefined }
          }),
          notices: () => [notice],
        })
        // First on the state the caller loaded, then twice on what the winners left.
        expect(c.log.decided).toEqual([0, 100, 200])
        expect([c.log.loads, c.log.saves]).toEqual([2, 3])
        expect(saved).toEqual({ value: 201, version: 3 })
        expect([yield* rows, yield* texts]).toEqual([rows0 + 1, texts0 + 1])
      }))

    it.effect("always losing ends in the aggregate's busy error after MAX_ATTEMPTS, with nothing kept or texted", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const c = counterStore(Number.POSITIVE_INFINITY)
        const [rows0, texts0] = [yield* rows, yield* texts]
        const exit = yield* Effect.flip(runAct(c.store, {
          decide: (current) => Effect.succeed({ next: { ...current, version: current.version + 1 }, result: undefined }),
          notices: () => [notice],
        }))
        expect(exit._tag).toBe("Busy")
        expect(c.log.saves).toBe(MAX_ATTEMPTS)
        expect([yield* rows, yield* texts]).toEqual([rows0, texts0])
      }))

    it.effect("a failure after the write, inside the transaction, leaves no notice row and sends no text; a refusal writes nothing", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const c = counterStore(0)
        const [rows0, texts0] = [yield* rows, yield* texts]
        const failed = yield* Effect.flip(runAct(c.store, {
          decide: (current) => Effect.succeed({ next: { value: 1, version: current.version + 1 }, result: undefined }),
          within: () => Effect.fail(new Refused()),
          notices: () => [notice],
        }))
        expect(failed._tag).toBe("Refused")
        expect([yield* rows, yield* texts]).toEqual([rows0, texts0])
        const refused = yield* Effect.flip(runAct(c.store, { decide: () => Effect.fail(new Refused()), notices: () => [notice] }))
        expect([refused._tag, c.log.saves, yield* rows, yield* texts]).toEqual(["Refused", 1, rows0, texts0])
      }))
  })
})
