import { Schema } from "effect"
import { describeContractError } from "../contractErrors.ts"
import { describeError, type DomainError } from "../errors.ts"

/** Any failure of a contract act, as the zh-CN message shown to the user. */
export const messageOf = (e: { readonly _tag: string }): string =>
  describeContractError(e as never)?.message ?? (() => {
    try {
      return describeError(e as DomainError).message
    } catch {
      return "系统繁忙，请稍后重试"
    }
  })()

export const NewContractBody = Schema.Struct({
  name: Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "contractName.trim" }), Schema.isBetweenLength(1, 60, { message: "contractName.length" }))),
  mode: Schema.Literals(["sequential", "simultaneous"]),
  deadline: Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/, { message: "deadline.format" }))),
})

/** End of the chosen day in Beijing time. */
export const deadlineOf = (day: string) => Date.parse(`${day}T23:59:59+08:00`)

