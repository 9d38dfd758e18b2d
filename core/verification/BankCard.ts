import { Schema } from "effect"

/** The Luhn check digit for `payload` (the card number without its last digit). */
export const luhnCheckDigit = (payload: string): string => {
  let sum = 0
  for (let i = 0; i < payload.length; i++) {
    // Doubling starts at the rightmost payload digit (the check digit will sit to its right).
    let d = Number(payload[payload.length - 1 - i])
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return String((10 - (sum % 10)) % 10)
}

/** V6: why `card` is not a bank card number (message key), or null: 12-19 digits passing Luhn. */
export const bankCardProblem = (card: string): string | null => {
  if (!/^\d{12,19}$/.test(card)) return "bankCard.format"
  if (luhnCheckDigit(card.slice(0, -1)) !== card.slice(-1)) return "bankCard.checkDigit"
  return null
}

/** A bank card number that passed the Luhn check. */
export const BankCardNumber = Schema.String.pipe(
  Schema.check(Schema.makeFilter((s: string) => bankCardProblem(s) ?? true)),
  Schema.brand("BankCardNumber"),
)
export type BankCardNumber = typeof BankCardNumber.Type

/** 6222 **** **** 0123: only the last four digits are ever shown again. */
export const maskBankCard = (card: string): string => `**** ${card.slice(-4)}`
