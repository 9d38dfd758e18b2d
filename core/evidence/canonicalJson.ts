/**
 * RFC 8785 JSON Canonicalization Scheme for the values evidence events hold:
 * object keys sorted by UTF-16 code units, no whitespace, strings and numbers
 * serialised as ECMAScript's JSON.stringify does (which JCS adopts).
 */
import { Result } from "effect"
import { NotCanonicalJson } from "./EvidenceErrors.ts"

export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [k: string]: Json }

/**
 * A string as JSON.stringify writes it. Printable ASCII without `"` and `\\`
 * (every hash, id and name an event holds) is only wrapped in quotes: a loop
 * over its code units, cheaper than a regular expression or the general
 * escaper for the dozen short strings of each event.
 */
export const quote = (s: string): string => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return JSON.stringify(s)
  }
  return `"${s}"`
}

/** Appends the canonical text of `value` to `out.text`; returns why it has none, or null. */
const write = (value: unknown, out: { text: string }): string | null => {
  if (typeof value === "string") {
    out.text += quote(value)
    return null
  }
  if (value === null || typeof value === "boolean") {
    out.text += String(value)
    return null
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return `number ${value} has no JSON form`
    out.text += JSON.stringify(value)
    return null
  }
  if (Array.isArray(value)) {
    out.text += "["
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.text += ","
      const e = write(value[i], out)
      if (e !== null) return e
    }
    out.text += "]"
    return null
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>
    // Default sort compares UTF-16 code units, as RFC 8785 section 3.2.3 requires.
    const keys = Object.keys(record).sort()
    out.text += "{"
    let first = true
    for (let i = 0; i < keys.length; i++) {
      const member = record[keys[i]!]
      if (member === undefined) continue
      out.text += first ? quote(keys[i]!) : `,${quote(keys[i]!)}`
      out.text += ":"
      first = false
      const e = write(member, out)
      if (e !== null) return e
    }
    out.text += "}"
    return null
  }
  return `${typeof value} has no JSON form`
}

/** The canonical text of `value`; absent (undefined) object members are left out. */
export const canonicalize = (value: unknown): Result.Result<string, NotCanonicalJson> => {
  const out = { text: "" }
  const error = write(value, out)
  return error === null ? Result.succeed(out.text) : Result.fail(new NotCanonicalJson({ reason: error }))
}

/** True when `text` is exactly the canonical form of what it parses to (no reordering, spacing or escapes that differ). */
export const isCanonical = (text: string): boolean => {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return false
  }
  const again = canonicalize(parsed)
  return Result.isSuccess(again) && again.success === text
}
