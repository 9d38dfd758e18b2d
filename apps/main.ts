/**
 * `npm start`: the portal and the admin app on two ports, one shared runtime.
 * Configuration comes from the environment (see README.md, apps/platform/config.ts).
 */
import type { Server } from "node:http"
import { serve } from "@hono/node-server"
import { drain } from "./platform/http/drain.ts"
import { errorFields, log } from "../adapters/observability/index.ts"
import { ConfigError, loadConfig } from "./platform/config.ts"
import { boot } from "./platform/boot.ts"
import { demoStaff, demoUsers } from "./platform/seed.ts"
import { demoVerificationUser } from "./platform/verificationSeed.ts"
import { demoProvider } from "./platform/seedPlatform.ts"

const config = (() => {
  try {
    return loadConfig(process.env)
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message)
      process.exit(2)
    }
    throw e
  }
})()

const apps = await boot(config).catch((e: unknown) => {
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
log("info", "listening", { profile: config.profile, database: config.databaseUrl === null ? "sqlite" : "postgres", portal: base(web.port), admin: base(admin.port) })
if (config.profile === "dev") {
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
