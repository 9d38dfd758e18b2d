import { Schema } from "effect"

/** GB 32100-2015 alphabet: digits and upper-case letters without I, O, S, V, Z. */
export const CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const

/** The GB 32100 check character of the first 17 characters (MOD 31). */
export const creditCodeCheckChar = (first17: string): string => {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!
}

/**
 * V6: why `code` is not a unified social credit code (message key), or null:
 * 18 characters of the GB 32100 alphabet, registration authority and category
 * characters, a 6-digit region code and the check character.
 */
export const creditCodeProblem = (code: string): string | null => {
  if (!/^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/.test(code)) return "creditCode.format"
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return "creditCode.checkDigit"
  return null
}

/** A unified social credit code (统一社会信用代码) that passed the V6 checks. */
export const CreditCode = Schema.String.pipe(
  Schema.check(Schema.makeFilter((s: string) => creditCodeProblem(s) ?? true)),
  Schema.brand("CreditCode"),
)
export type CreditCode = typeof CreditCode.Type
