import { expect } from "vitest"
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { Result } from "effect"
import { canonicalize } from "./canonicalJson.ts"
import { EVENT_TYPES, type EventBody, type EventType } from "./Event.ts"
import { eventBodyText } from "./eventText.ts"

const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 64, maxLength: 64 }))
const integer = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double(), fc.constant(-0))
// Plain objects, as recordEvents builds them (the general writer refuses other prototypes).
const body: fc.Arbitrary<EventBody> = fc.record({
  v: fc.constantFrom(1, 2),
  type: fc.constantFrom(...(Object.keys(EVENT_TYPES) as Array<EventType>)),
  subject: text,
  seq: integer,
  prev: fc.option(text, { nil: null }),
  at: integer,
  role: text,
  commit: fc.record({ actor: text, ip: text, ua: text }, { requiredKeys: [], noNullPrototype: true }),
  doc: fc.option(fc.record({ sha256: text, sm3: text }, { requiredKeys: ["sha256"], noNullPrototype: true }), { nil: undefined }),
  data: fc.dictionary(text, fc.oneof(text, fc.double(), fc.boolean(), fc.constant(null)), { noNullPrototype: true }),
}, { requiredKeys: ["v", "type", "subject", "seq", "prev", "at", "role", "commit", "data"], noNullPrototype: true }) as fc.Arbitrary<EventBody>

test.prop([body], { numRuns: 2_000 })("an event body's text is exactly the general RFC 8785 writer's, or the same refusal", (b) => {
  const general = canonicalize(b)
  const fast = eventBodyText(b)
  expect(Result.isSuccess(fast)).toBe(Result.isSuccess(general))
  if (Result.isSuccess(general) && Result.isSuccess(fast)) expect(fast.success).toBe(general.success)
})
