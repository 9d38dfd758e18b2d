import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { isPdf, startsWithBytes } from "./bytes.ts"

const enc = (s: string) => new TextEncoder().encode(s)

test("isPdf reads the magic bytes, not a name", () => {
  expect(isPdf(enc("%PDF-1.7\n"))).toBe(true)
  expect(isPdf(enc("%PDF-"))).toBe(true)
  expect(isPdf(enc("%PDF"))).toBe(false)
  expect(isPdf(enc(" %PDF-1.7"))).toBe(false)
  expect(isPdf(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBe(false)
})

test.prop([fc.uint8Array({ maxLength: 12 }), fc.uint8Array({ maxLength: 12 })])("startsWithBytes agrees for a byte and a string signature", (head, tail) => {
  const bytes = new Uint8Array([...head, ...tail])
  expect(startsWithBytes(bytes, [...head])).toBe(true)
  const latin1 = String.fromCharCode(...head)
  expect(startsWithBytes(bytes, latin1)).toBe(true)
  expect(startsWithBytes(head, [...head, 0])).toBe(false)
})
