/**
 * Counts the SQL statements better-sqlite3 runs in this process (every database of it), for benchmarks that say
 * how many statements an operation costs. Statements are counted where they run (Statement#run/all/get/iterate), so
 * Kysely's and raw queries alike; `begin`, `commit` and `rollback` are counted apart as transactions.
 */
import SQLite from "better-sqlite3"

export interface SqlCount {
  /** Statements run, transaction control (begin/commit/rollback) left out. */
  readonly statements: number
  /** Transactions begun. */
  readonly transactions: number
  /** Statements by SQL text, most run first (the `top` most). */
  readonly top: ReadonlyArray<readonly [sql: string, count: number]>
}

let installed = false
let statements = 0
let transactions = 0
const bySql = new Map<string, number>()

const install = () => {
  if (installed) return
  installed = true
  const probe = new SQLite(":memory:")
  const proto = Object.getPrototypeOf(probe.prepare("select 1")) as Record<string, (...args: Array<unknown>) => unknown>
  probe.close()
  for (const method of ["run", "all", "get", "iterate"] as const) {
    const original = proto[method]!
    proto[method] = function(this: { source: string }, ...args: Array<unknown>) {
      const text = this.source.trim().toLowerCase()
      if (text.startsWith("begin")) transactions++
      else if (!(text === "commit" || text === "rollback")) {
        statements++
        bySql.set(this.source, (bySql.get(this.source) ?? 0) + 1)
      }
      return original.apply(this, args)
    }
  }
}

/** Starts counting (from zero); the returned function stops nothing but reads the counts since. */
export const countSql = () => {
  install()
  const s0 = statements
  const t0 = transactions
  const before = new Map(bySql)
  return (top = 8): SqlCount => ({
    statements: statements - s0,
    transactions: transactions - t0,
    top: [...bySql].map(([sql, n]) => [sql, n - (before.get(sql) ?? 0)] as const).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, top),
  })
}
