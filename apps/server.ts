/**
 * One server process: the portal and the admin app on two ports, one shared runtime (apps/main.ts starts one, or a
 * cluster of them).
 */
import type { Server } from "node:http"
import { serve } from "@hono/node-server"
import { drain } from "./platform/http/drain.ts"
import { errorFields, log } from "../adapters/observability/index.ts"
import type { Config } from "./platform/config.ts"
import { boot } from "./platform/boot.ts"
import { demoStaff, demoUsers } from "./platform/seed.ts"
import { demoVerificationUser } from "./platform/verificationSeed.ts"
import { demoProvider } from "./platform/seedPlatform.ts"

/**
 * Boots the runtime and serves both apps on this process. `lead`: this process seeds the dev profile, runs the job
 * workers and prints the dev banner (the only process, or the first of a cluster: apps/cluster.ts).
 */
export const serveApps = async (config: Config, lead: boolean) => {
  const apps = await boot(config, { lead }).catch((e: unknown) => {
    // One line naming the cause (the database not reachable in time, a failed migration), not a stack trace.
    log("error", "start-up failed", errorFields(e))
    process.exit(1)
  })
  const listen = (fetch: (req: Request, env?: unknown) => Response | Promise<Response>, port: number) =>
    new Promise<{ port: number; drain: () => Promise<{ cut: number }> }>((resolve) => {
      const server = serve({ fetch, port, hostname: config.host }, (info) => resolve({ port: info.port, drain: () => drain(server as Server, config.shutdownGraceMs) }))
    })
  const web = await listen(apps.web.fetch, config.port)
  const admin = await listen(apps.admin.fetch, config.adminPort)

  const base = (port: number) => `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`
  log("info", "listening", { profile: config.profile, database: config.databaseUrl === null ? "sqlite" : "postgres", portal: base(web.port), admin: base(admin.port), lead, startMs: Math.round(performance.now()) })
  if (lead && config.profile === "dev") {
    console.log(`Signet (dev) on ${config.databaseUrl === null ? `SQLite in ${config.dataDir}` : "Postgres"}`)
    console.log(`  portal  ${base(web.port)}`)
    console.log(`  admin   ${base(admin.port)}`)
    console.log(`  SMS outbox (dev only): ${base(web.port)}/dev/outbox`)
    console.log("Demo accounts (dev profile):")
    // Who each demo account is in the seeded world (seed.ts, seedOrganizations.ts, seedSeals.ts, seedPlatform.ts, seedOrders.ts).
    const roles: Record<string, string> = {
      "13800000001": "admin of 北京示例科技有限公司 (partner platform owner), orders in every tab",
      "13800000002": "agent (经办人) at 上海分公司, may use the 合同专用章 and 王小明's delegated signature",
    }
    for (const u of demoUsers) console.log(`  portal  ${u.mobile} / ${u.password}  (${u.name}${roles[u.mobile] === undefined ? "" : `: ${roles[u.mobile]}`})`)
    console.log(`  portal  ${demoVerificationUser.mobile} / ${demoVerificationUser.password}  (${demoVerificationUser.name}: authorized signatory of 北京示例科技有限公司; his own enterprise verification waits for review)`)
    const { admin: providerAdmin, signatory: providerSignatory, name: provider } = demoProvider
    console.log(`  portal  ${providerAdmin.mobile} / Demo1234  (${providerAdmin.name}: admin of the service provider ${provider})`)
    console.log(`  portal  ${providerSignatory.mobile} / Demo1234  (${providerSignatory.name}: the provider's signatory, holds its seal)`)
    console.log(`  admin   ${demoStaff.username} / ${demoStaff.password}  (${demoStaff.name}; two-factor ${config.staffTotp}: leave 动态验证码 empty until you bind an authenticator)`)
  }

  /**
   * Graceful shutdown (SIGTERM from the orchestrator, or Ctrl-C): stop
   * accepting, answer the requests in flight (up to SIGNET_SHUTDOWN_GRACE_MS),
   * then close the runtime: job workers stop (pg-boss waits for its running
   * jobs), the worker-id lease is released, the pools close.
   */
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log("info", `${signal}: shutting down`, { graceMs: config.shutdownGraceMs })
    const [w, a] = await Promise.all([web.drain(), admin.drain()])
    if (w.cut + a.cut > 0) log("warn", "shutdown: connections still open after the grace period were cut", { cut: w.cut + a.cut })
    await apps.dispose()
    log("info", "shutdown complete")
    process.exit(0)
  }
  process.on("SIGINT", () => void stop("SIGINT"))
  process.on("SIGTERM", () => void stop("SIGTERM"))
  return { web: web.port, admin: admin.port }
}
