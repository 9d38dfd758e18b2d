import { Schema } from "effect"

/** Epoch milliseconds. */
export const Millis = Schema.Number.pipe(Schema.check(Schema.isInt()))
export type Millis = typeof Millis.Type
