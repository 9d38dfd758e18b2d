import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { beijingDay, beijingDayEnd, beijingDayStart, beijingLocalMinute, beijingMinutes, beijingSeconds, zhDateTime } from "./time.ts"

// From 1992: China observed daylight saving time 1986-1991, which the fixed UTC+8 of beijingSeconds ignores.
const instant = fc.integer({ min: 694_224_000_000, max: 4_102_444_800_000 })

test.prop([instant])("zhDateTime shows what toLocaleString in zh-CN, Beijing, 24 h shows", (ms) => {
  expect(zhDateTime(ms)).toBe(new Date(ms).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }))
})

test.prop([instant])("beijingSeconds and beijingMinutes agree with the Asia/Shanghai zone", (ms) => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(ms).map((p) => [p.type, p.value]),
  )
  const expected = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`
  expect(beijingSeconds(ms)).toBe(expected)
  expect(beijingMinutes(ms)).toBe(expected.slice(0, 16))
})

test.prop([instant])("beijingDayStart, beijingDayEnd and beijingLocalMinute read back what beijingSeconds writes", (ms) => {
  const [day, clock] = beijingSeconds(ms).split(" ") as [string, string]
  expect(beijingDay(beijingDayStart(day))).toBe(day)
  expect(beijingDayEnd(day) - beijingDayStart(day)).toBe(24 * 3600_000 - 1000)
  expect(beijingDayStart(day) <= ms && ms <= beijingDayEnd(day) + 999).toBe(true)
  expect(beijingMinutes(beijingLocalMinute(`${day}T${clock.slice(0, 5)}`))).toBe(beijingMinutes(ms))
})
