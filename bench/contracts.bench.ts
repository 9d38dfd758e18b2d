/**
 * C7/C10 scale: 我的签约 and enterprise (合同管理, partner platform) list
 * queries on SQLite with SIGNET_BENCH_CONTRACTS contracts (default
 * 1,000,000) among 100,000 users and 5,000 enterprises plus one large one.
 * Target: p95 under 30 ms. Baseline in the same run: a contract lookup by primary key.
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
    // C10 合同管理: an ordinary enterprise seen from its head office (every branch) and by a branch admin (one branch).
    const pickOrg = (i: number) => data.enterprises[(i * 7907) % data.enterprises.length]!
    const orgAll = await p95(500, (i) => runtime.runPromise(repo.listForEnterprise({ enterpriseId: pickOrg(i).id, limit: 10, offset: 0 })))
    const orgBranch = await p95(500, (i) => runtime.runPromise(repo.listForEnterprise({ enterpriseId: pickOrg(i).id, branchIds: [pickOrg(i).branches[i % 2]!], limit: 10, offset: 0 })))
    // The large enterprise (a partner platform owner, ~2% of all contracts): pages 1-5, a status, a provider's name, one branch.
    const large = data.large
    const largeAll = await p95(500, (i) => runtime.runPromise(repo.listForEnterprise({ enterpriseId: large.id, limit: 10, offset: (i % 5) * 10 })))
    const largeStatus = await p95(500, (i) => runtime.runPromise(repo.listForEnterprise({ enterpriseId: large.id, status: [i % 2 === 0 ? "inProgress" : "completed"], limit: 10, offset: 0 })))
    const largeSearch = await p95(500, (i) => runtime.runPromise(repo.listForEnterprise({ enterpriseId: large.id, search: `企业${(i * 31) % 5000}有限公司`, limit: 10, offset: 0 })))
    const largeBranch = await p95(500, (i) => runtime.runPromise(repo.listForEnterprise({ enterpriseId: large.id, branchIds: [large.branches[1 + (i % (large.branches.length - 1))]!], limit: 10, offset: 0 })))
    // P1 a provider's contracts with the large enterprise.
    const provider = await p95(500, (i) => runtime.runPromise(repo.listForEnterprise({ enterpriseId: pickOrg(i).id, counterpartEnterpriseId: large.id, limit: 10, offset: 0 })))
    await runtime.dispose()
    const verdict = (ms: number) => (ms < 30 ? "meets" : "misses")
    const largeCount = Math.round(contracts * 0.02)
    return `## Contract lists (SQLite, ${contracts.toLocaleString("en")} contracts, ${users.toLocaleString("en")} users, ${data.enterprises.length.toLocaleString("en")} enterprises + 1 large)

Data generated in ${(generated / 1000).toFixed(1)} s. p95 over 500 random users (personal lists) or enterprises (enterprise lists).
The large enterprise initiated about ${largeCount.toLocaleString("en")} contracts from its head office and ${data.large.branches.length - 1} branches.

| query | p95 | baseline: lookup by number (${fmt(lookup)} ms) | target 30 ms |
|---|---|---|---|
| 需要我操作的, first page of 10 with total count | ${fmt(mine)} ms | ${ratio(mine, lookup)} | ${verdict(mine)} |
| 全部, first page of 10 with total count | ${fmt(all)} ms | ${ratio(all, lookup)} | ${verdict(all)} |
| 需要我操作的 + search by sender name | ${fmt(mineSearch)} ms | ${ratio(mineSearch, lookup)} | ${verdict(mineSearch)} |
| 全部 + search by enterprise + created range | ${fmt(allSearch)} ms | ${ratio(allSearch, lookup)} | ${verdict(allSearch)} |
| 合同管理 (C10), an enterprise's head office: first page with total | ${fmt(orgAll)} ms | ${ratio(orgAll, lookup)} | ${verdict(orgAll)} |
| 合同管理 (C10), a branch admin (one branch) | ${fmt(orgBranch)} ms | ${ratio(orgBranch, lookup)} | ${verdict(orgBranch)} |
| large enterprise, pages 1-5 with total | ${fmt(largeAll)} ms | ${ratio(largeAll, lookup)} | ${verdict(largeAll)} |
| large enterprise + status | ${fmt(largeStatus)} ms | ${ratio(largeStatus, lookup)} | ${verdict(largeStatus)} |
| large enterprise + search by provider name (P3) | ${fmt(largeSearch)} ms | ${ratio(largeSearch, lookup)} | ${verdict(largeSearch)} |
| large enterprise, one branch | ${fmt(largeBranch)} ms | ${ratio(largeBranch, lookup)} | ${verdict(largeBranch)} |
| a provider's contracts with the large enterprise (P1) | ${fmt(provider)} ms | ${ratio(provider, lookup)} | ${verdict(provider)} |
`
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
