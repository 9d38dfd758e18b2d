import { Schema } from "effect"

/**
 * An amount in fen (分), the smallest unit of the yuan. Every price, fee and
 * payment in the orders context is a non-negative integer number of fen, never
 * a float of yuan; yuan strings exist only at the payment gateway boundary.
 */
export const Fen = Schema.Number.pipe(
  Schema.check(Schema.isInt({ message: "fen.integer" }), Schema.isBetween({ minimum: 0, maximum: 1_000_000_000 }, { message: "fen.range" })),
)
export type Fen = typeof Fen.Type

/** "12.30" for 1230 fen: the two-decimal yuan string payment gateways speak. */
export const yuanString = (fen: number): string => {
  const whole = Math.floor(fen / 100)
  const cents = fen % 100
  return `${whole}.${String(cents).padStart(2, "0")}`
}

const YUAN = /^(0|[1-9]\d{0,8})(?:\.(\d{1,2}))?$/

/** Exact parse of a yuan string ("12", "12.3", "12.30") to fen; null for anything else (no float rounding ever). */
export const fenFromYuan = (text: string): number | null => {
  const m = YUAN.exec(text)
  if (m === null) return null
  const cents = (m[2] ?? "").padEnd(2, "0")
  return Number(m[1]) * 100 + Number(cents)
}
