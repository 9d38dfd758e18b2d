import { describe, expect, it } from "vitest"
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { Effect } from "effect"
import { EPOCH_MS, initialSnowflake, nextSnowflake, snowflakeTime } from "./snowflake.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"

const from2019 = Date.parse("2019-01-01")
const to2080 = Date.parse("2080-01-01")

describe("snowflake ids (C2)", () => {
  test.prop([fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 5000 }), fc.integer({ min: from2019, max: to2080 }), fc.integer({ min: 0, max: 1023 })])(
    "19 digits, strictly increasing for one worker even when the clock stalls or steps back",
    (steps, start, worker) => {
      let state = initialSnowflake
      let now = start
      let previous = 0n
      for (const step of steps) {
        now += step - 2 // sometimes backwards
        const [id, next] = nextSnowflake(state, now, worker)
        state = next
        expect(id).toMatch(/^[1-9]\d{18}$/)
        expect(BigInt(id) > previous).toBe(true)
        previous = BigInt(id)
      }
    },
  )

  test.prop([fc.integer({ min: from2019, max: to2080 }), fc.uniqueArray(fc.integer({ min: 0, max: 1023 }), { minLength: 2, maxLength: 10 })])(
    "different workers never collide in the same millisecond",
    (now, workers) => {
      const ids = workers.flatMap((w) => {
        let s = initialSnowflake
        return Array.from({ length: 50 }, () => {
          const [id, next] = nextSnowflake(s, now, w)
          s = next
          return id
        })
      })
      expect(new Set(ids).size).toBe(ids.length)
    },
  )

  it("more than 4096 ids in one millisecond borrow the next one", () => {
    let s = initialSnowflake
    const now = Date.parse("2026-11-23")
    const ids = Array.from({ length: 5000 }, () => {
      const [id, next] = nextSnowflake(s, now, 3)
      s = next
      return id
    })
    expect(new Set(ids).size).toBe(5000)
    expect(snowflakeTime(ids[0]!)).toBe(now)
    expect(snowflakeTime(ids[4999]!)).toBe(now + 1)
  })

  it("the generator's batches continue the same sequence as single ids (one worker, one order)", async () => {
    const ids = await Effect.runPromise(Effect.gen(function*() {
      const g = yield* IdGenerator
      const a = yield* g.next
      const batch = yield* g.nextMany(5_000)
      const b = yield* g.next
      return [a, ...batch, b]
    }).pipe(Effect.provide(IdGenerator.layerSnowflake(9))))
    expect(ids).toHaveLength(5_002)
    expect(new Set(ids).size).toBe(5_002)
    for (let i = 1; i < ids.length; i++) expect(BigInt(ids[i]!) > BigInt(ids[i - 1]!)).toBe(true)
  })

  it("the example number from the manual (1248849947504173056) dates from 2020", () => {
    expect(new Date(snowflakeTime("1248849947504173056")).getUTCFullYear()).toBe(2020)
    expect(Number(EPOCH_MS)).toBe(1288834974657)
  })

  it("refuses a worker id outside 0..1023", () => {
    expect(() => nextSnowflake(initialSnowflake, Date.now(), 1024)).toThrow(RangeError)
  })
})
