import { Schema } from "effect"

/** A mainland China mobile number: 11 digits starting 13-19. */
export const Mobile = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^1[3-9]\d{9}$/, { message: "mobile.invalid" })),
  Schema.brand("Mobile"),
)
export type Mobile = typeof Mobile.Type

/** 138****8000: how a mobile number is shown to anyone but its owner. */
export const maskMobile = (m: string): string => m.length === 11 ? `${m.slice(0, 3)}****${m.slice(7)}` : m
