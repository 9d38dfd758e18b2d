/**
 * RFC 8785 JSON Canonicalization Scheme for the values evidence events hold:
 * object keys sorted by UTF-16 code units, no whitespace, strings and numbers
 * serialised as ECMAScript's JSON.stringify does (which JCS adopts).
 */
import { Result } from "effect"
import { NotCanonicalJson } from "./EvidenceErrors.ts"

export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [k: string]: Json }

const write = (value: unknown, out: Array<string>): string | null => {
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    out.push(JSON.stringify(value))
    return null
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return `number ${value} has no JSON form`
    out.push(JSON.stringify(value))
    return null
  }
  if (Array.isArray(value)) {
    out.push("[")
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",")
      const e = write(value[i], out)
      if (e !== null) return e
    }
    out.push("]")
    return null
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>
    // Default sort compares UTF-16 code units, as RFC 8785 section 3.2.3 requires.
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort()
    out.push("{")
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) out.push(",")
      out.push(JSON.stringify(keys[i]), ":")
      const e = write(record[keys[i]!], out)
      if (e !== null) return e
    }
    out.push("}")
    return null
  }
  return `${typeof value} has no JSON form`
}

/** The canonical text of `value`; absent (undefined) object members are left out. */
export const canonicalize = (value: unknown): Result.Result<string, NotCanonicalJson> => {
  const out: Array<string> = []
  const error = write(value, out)
  return error === null ? Result.succeed(out.join("")) : Result.fail(new NotCanonicalJson({ reason: error }))
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
