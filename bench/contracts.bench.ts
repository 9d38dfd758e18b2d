/**
 * C7/C10 scale: 我的签约 list queries on SQLite with SIGNET_BENCH_CONTRACTS
 * contracts (default 1,000,000) among 100,000 users. Target: p95 under 30 ms.
 * Baseline in the same run: a contract lookup by primary key.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Layer, ManagedRuntime } from "effect"
import type { NumericId } from "../core/kernel/Ids.ts"
import { ContractRepository } from "../core/ports/ContractRepository.ts"
import { layerContractRepository } from "../adapters/sql/contracts.ts"
import { layerSqlite, migrated } from "../adapters/sql/index.ts"
import { generateContracts } from "../fixtures/generateContracts.ts"
import { fmt, ratio } from "./measure.ts"

const p95 = async (runs: number, f: (i: number) => Promise<unknown>) => {
  const times: Array<number> = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await f(i)
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length * 0.95)]!
}

export default async function run(): Promise<string> {
  const contracts = Number(process.env.SIGNET_BENCH_CONTRACTS ?? 1_000_000)
  const users = 100_000
  const dir = mkdtempSync(join(tmpdir(), "signet-bench-contracts-"))
  const file = join(dir, "bench.db")
  try {
    const database = migrated(layerSqlite(file))
    await Effect.runPromise(Effect.scoped(Layer.build(database)))
    const started = performance.now()
    const data = generateContracts(file, contracts, users)
    const generated = performance.now() - started
    const runtime = ManagedRuntime.make(layerContractRepository.pipe(Layer.provide(layerSqlite(file))))
    const repo = await runtime.runPromise(ContractRepository.use(Effect.succeed))
    const pick = (i: number) => (i * 7919) % users
    const lookup = await p95(500, (i) => runtime.runPromise(repo.find(`2${String((i * 104729) % contracts).padStart(18, "0")}` as NumericId)))
    const mine = await p95(500, (i) => runtime.runPromise(repo.list({ mobile: data.mobiles[pick(i)]!, userId: data.userIds[pick(i)]!, status: ["inProgress"], tab: "needsMe", limit: 10, offset: 0 })))
    const all = await p95(500, (i) => runtime.runPromise(repo.list({ mobile: data.mobiles[pick(i)]!, userId: data.userIds[pick(i)]!, limit: 10, offset: 0 })))
    // C7 search (name, number, sending enterprise, sender name or mobile) on a tab, and on 全部 with a created range.
    const mineSearch = await p95(500, (i) => runtime.runPromise(repo.list({ mobile: data.mobiles[pick(i)]!, userId: data.userIds[pick(i)]!, status: ["inProgress"], tab: "needsMe", search: `用户${(i * 31) % 1000}`, limit: 10, offset: 0 })))
    const range = { createdFrom: Date.parse("2024-06-01"), createdBefore: Date.parse("2025-06-01") }
    const allSearch = await p95(500, (i) => runtime.runPromise(repo.list({ mobile: data.mobiles[pick(i)]!, userId: data.userIds[pick(i)]!, search: "企业", ...range, limit: 10, offset: 0 })))
    await runtime.dispose()
    const verdict = (ms: number) => (ms < 30 ? "meets" : "misses")
    return `## Contract lists (SQLite, ${contracts.toLocaleString("en")} contracts, ${users.toLocaleString("en")} users)

Data generated in ${(generated / 1000).toFixed(1)} s. p95 over 500 random users.

| query | p95 | baseline: lookup by number (${fmt(lookup)} ms) | target 30 ms |
|---|---|---|---|
| 需要我操作的, first page of 10 with total count | ${fmt(mine)} ms | ${ratio(mine, lookup)} | ${verdict(mine)} |
| 全部, first page of 10 with total count | ${fmt(all)} ms | ${ratio(all, lookup)} | ${verdict(all)} |
| 需要我操作的 + search by sender name | ${fmt(mineSearch)} ms | ${ratio(mineSearch, lookup)} | ${verdict(mineSearch)} |
| 全部 + search by enterprise + created range | ${fmt(allSearch)} ms | ${ratio(allSearch, lookup)} | ${verdict(allSearch)} |
`
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
