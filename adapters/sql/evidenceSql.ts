import { CompiledQuery } from "kysely"
import type { Dialect } from "./Database.ts"

/**
 * Multi-row INSERTs for the evidence tables as ready SQL text, built once per
 * (table, row count) and cached: the log writes thousands of rows per batch,
 * and building each through the query builder cost more than executing it.
 */
export const makeInsert = (dialect: Dialect) => {
  const cache = new Map<string, string>()
  const textOf = (table: string, columns: ReadonlyArray<string>, count: number) => {
    const key = `${table}/${count}`
    let text = cache.get(key)
    if (text === undefined) {
      let n = 0
      const row = () => `(${columns.map(() => (dialect === "postgres" ? `$${++n}` : "?")).join(", ")})`
      text = `insert into ${table} (${columns.join(", ")}) values ${Array.from({ length: count }, row).join(", ")}`
      cache.set(key, text)
    }
    return text
  }
  /** Rows given as their values one after the other (no array per row: the evidence log writes thousands). */
  const flat = (table: string, columns: ReadonlyArray<string>, values: Array<unknown>) =>
    CompiledQuery.raw(textOf(table, columns, values.length / columns.length), values)
  const rows = (table: string, columns: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<unknown>>) => {
    const values: Array<unknown> = []
    for (const row of rows) for (const value of row) values.push(value)
    return flat(table, columns, values)
  }
  return Object.assign(rows, { flat })
}
