import { CompiledQuery } from "kysely"
import type { Dialect } from "./Database.ts"

/**
 * Multi-row INSERTs for the evidence tables as ready SQL text, built once per
 * (table, row count) and cached: the log writes thousands of rows per batch,
 * and building each through the query builder cost more than executing it.
 */
export const makeInsert = (dialect: Dialect) => {
  const cache = new Map<string, string>()
  return (table: string, columns: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<unknown>>) => {
    const key = `${table}/${rows.length}`
    let text = cache.get(key)
    if (text === undefined) {
      let n = 0
      const row = () => `(${columns.map(() => (dialect === "postgres" ? `$${++n}` : "?")).join(", ")})`
      text = `insert into ${table} (${columns.join(", ")}) values ${Array.from({ length: rows.length }, row).join(", ")}`
      cache.set(key, text)
    }
    const parameters: Array<unknown> = []
    for (const row of rows) for (const value of row) parameters.push(value)
    return CompiledQuery.raw(text, parameters)
  }
}
