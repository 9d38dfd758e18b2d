import { Schema } from "effect"
import { CHINA_OFFSET_MS } from "../kernel/time.ts"

/** GB 11643-1999 weights of the first 17 digits: 2^(17-i) mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const CHECK = "10X98765432"

/** The ISO 7064 MOD 11-2 check character of the first 17 digits. */
export const residentIdCheckChar = (first17: string): string => {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!
  return CHECK[sum % 11]!
}

const isRealDate = (y: number, m: number, d: number): boolean => {
  if (m < 1 || m > 12 || d < 1) return false
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!
  return d <= days
}

/** Birth date (YYYYMMDD as numbers) carried by a well-formed number. */
export const birthDateOf = (id: string) => ({ year: Number(id.slice(6, 10)), month: Number(id.slice(10, 12)), day: Number(id.slice(12, 14)) })

/**
 * V6: why `id` is not a resident identity number (message key), or null when it
 * is one: 18 characters, a region code, a real birth date from 1900 on, and the
 * GB 11643 check character (a trailing lower-case x is not accepted: the
 * standard writes X). Whether the birth date lies in the future needs today's
 * date: see `bornAfter`.
 */
export const residentIdProblem = (id: string): string | null => {
  if (!/^[1-8]\d{5}\d{11}[\dX]$/.test(id)) return "idNumber.format"
  const { year, month, day } = birthDateOf(id)
  if (year < 1900 || !isRealDate(year, month, day)) return "idNumber.birthDate"
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) return "idNumber.checkDigit"
  return null
}

/** True when the birth date in `id` is after the calendar day of `todayMs` (China time). */
export const bornAfter = (id: string, todayMs: number): boolean => {
  const t = new Date(todayMs + CHINA_OFFSET_MS)
  const today = t.getUTCFullYear() * 10_000 + (t.getUTCMonth() + 1) * 100 + t.getUTCDate()
  return Number(id.slice(6, 14)) > today
}

/** A resident identity number (居民身份证号码) that passed the V6 checks. */
export const ResidentIdNumber = Schema.String.pipe(
  Schema.check(Schema.makeFilter((s: string) => residentIdProblem(s) ?? true)),
  Schema.brand("ResidentIdNumber"),
)
export type ResidentIdNumber = typeof ResidentIdNumber.Type

/** 1101**********1234: how an identity number is shown to anyone but its owner. */
export const maskResidentId = (id: string): string => id.length === 18 ? `${id.slice(0, 4)}**********${id.slice(14)}` : id
