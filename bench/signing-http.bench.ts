/**
 * Issue 23 item 3, `npm run bench signing-http`: signing acts over HTTP (POST
 * /contracts/:id/sign with the SMS code, as the portal posts it) against one
 * instance on SQLite in the dev profile, served by @hono/node-server on
 * 127.0.0.1 in this process and driven from a child process
 * (bench/signingHttpDriver.ts) by 10 and 50 clients, each a signer signing
 * its own contracts one after the other (a repeat signer: its first act is
 * measured apart). The codes are prepared before the run as sendCode makes
 * them (the 60 s / 10 a day sending rules would allow one per number a
 * minute); everything else is the real act: session, CSRF, code check,
 * access, signature (ECDSA P-256, the dev B-B profile), the write set,
 * evidence, notices.
 *
 * The floor, measured in the same run: `openssl speed` RSA-2048 and ECDSA
 * P-256 signatures per second on one core. Server CPU per act is this
 * process's user+system time over the run divided by the acts (the clients
 * run in their own process).
 */
import { execFileSync, spawn } from "node:child_process"
import { randomInt } from "node:crypto"
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Session } from "node:inspector/promises"
import { listen } from "./listen.ts"
import { topSelf, type Profile } from "./cpuProfile.ts"
import { countSql, type SqlCount } from "./sqlCount.ts"
import { Clock, Effect } from "effect"
import { SignField } from "../core/contracts/Contract.ts"
import { createContract, sendContract } from "../core/contracts/createContract.ts"
import { signingPurpose } from "../core/contracts/signContract.ts"
import type { OtpId } from "../core/kernel/Ids.ts"
import { OtpChallenge, OtpPolicy } from "../core/otp/Otp.ts"
import { hashCode } from "../core/otp/codeHash.ts"
import { IdGenerator } from "../core/ports/IdGenerator.ts"
import { OtpRepository } from "../core/ports/OtpRepository.ts"
import { bootForTest, createUser, createVerifiedUser } from "../fixtures/boot.ts"
import { fmt, makePdf } from "./measure.ts"
import type { SigningPlan, SigningResult } from "./signingHttpDriver.ts"

const root = fileURLToPath(new URL("../", import.meta.url))
const driver = fileURLToPath(new URL("signingHttpDriver.ts", import.meta.url))
/** Acts per client at each client count (a fixed amount of work, so runs compare). */
const phases = [{ clients: 10, acts: Number(process.env.SIGNET_BENCH_SIGNING_ACTS_10 ?? 60) }, { clients: 50, acts: Number(process.env.SIGNET_BENCH_SIGNING_ACTS_50 ?? 24) }] as const
const signers = Math.max(...phases.map((p) => p.clients))

/** `openssl speed` signatures per second on one core: RSA-2048 and ECDSA P-256. */
const opensslFloor = () => {
  const out = execFileSync("openssl", ["speed", "-seconds", "2", "rsa2048", "ecdsap256"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
  const rsa = Number(out.match(/^rsa\s+2048 bits\s+\S+s\s+\S+s\s+([\d.]+)/m)?.[1] ?? Number.NaN)
  const ecdsa = Number(out.match(/^\s*256 bits ecdsa \(nistp256\)\s+\S+s\s+\S+s\s+([\d.]+)/m)?.[1] ?? Number.NaN)
  return { rsa, ecdsa }
}


/**
 * SIGNET_BENCH_SIGNING_PROFILE=<dir>: each phase's acts also run under the V8 sampling profiler (this process: the
 * server), kept there as a .cpuprofile, their top self time printed. The profiler costs CPU: such a run's figures are
 * for finding where the time goes, not for the table.
 */
const profileDir = process.env.SIGNET_BENCH_SIGNING_PROFILE

/** Where the acts go when not to the server in this process: a URL, and that server's CPU time so far (ms). */
interface Elsewhere { readonly url: string; readonly cpuMs: () => number }

/**
 * Runs the clients; returns their result, the server's CPU time (ms) and SQL statements between the clients' READY
 * (or, after a warm-up, WARM) and their end. `elsewhere`: started once the clients are logged in (on this process's
 * server), it serves the acts instead (the cluster phase); then no statements are counted here.
 */
const drive = (plan: SigningPlan, dir: string, profileName: string, elsewhere?: () => Promise<Elsewhere>) =>
  new Promise<{ result: SigningResult; cpuMs: number; sql: SqlCount | null }>((resolve, reject) => {
    const file = join(dir, `plan-${randomInt(1e9)}.json`)
    writeFileSync(file, JSON.stringify(plan))
    const child = spawn(process.execPath, [`${root}node_modules/tsx/dist/cli.mjs`, driver, file], { cwd: root, stdio: ["pipe", "pipe", "pipe"] })
    let out = ""
    let err = ""
    let state: "starting" | "switching" | "warming" | "timed" = "starting"
    let cpu = cpuMs
    let cpuAtGo = 0
    let sqlSince: (() => SqlCount) | undefined
    const session = profileDir === undefined || elsewhere !== undefined ? undefined : new Session()
    const go = async (line: string) => {
      if (session !== undefined) {
        session.connect()
        await session.post("Profiler.enable")
        await session.post("Profiler.setSamplingInterval", { interval: 200 })
        await session.post("Profiler.start")
      }
      cpuAtGo = cpu()
      if (elsewhere === undefined) sqlSince = countSql()
      state = "timed"
      child.stdin.write(line)
    }
    child.stdout.on("data", async (d: Buffer) => {
      out += d.toString()
      if (state === "starting" && out.includes("READY\n")) {
        if (elsewhere === undefined) return void go("go\n")
        state = "switching"
        const there = await elsewhere().catch((e: unknown) => {
          child.kill()
          reject(e)
          return null
        })
        if (there === null) return
        cpu = there.cpuMs
        state = plan.warmup === undefined || plan.warmup === 0 ? "timed" : "warming"
        if (state === "timed") return void go(`go ${there.url}\n`)
        child.stdin.write(`go ${there.url}\n`)
      } else if (state === "warming" && out.includes("WARM\n")) {
        void go("go\n")
      }
    })
    child.stderr.on("data", (d: Buffer) => void (err += d.toString()))
    child.on("exit", async (code) => {
      const spent = cpu() - cpuAtGo
      const sql = sqlSince?.() ?? null
      if (session !== undefined && state === "timed") {
        const { profile } = await session.post("Profiler.stop") as unknown as { profile: Profile }
        session.disconnect()
        writeFileSync(join(profileDir!, `${profileName}.cpuprofile`), JSON.stringify(profile))
        const p = topSelf(profile, 25)
        console.log(`  profile ${profileName}: ${p.busyMs.toFixed(0)} ms busy, GC ${(100 * p.gc).toFixed(1)}%\n    ${p.top.join("\n    ")}`)
      }
      const line = out.trim().split("\n").pop() ?? ""
      if (code !== 0 || !line.startsWith("{")) reject(new Error(`signing driver failed (${code}): ${err.slice(-2000)}`))
      else resolve({ result: JSON.parse(line) as SigningResult, cpuMs: spent, sql })
    })
  })

/** Clock ticks per second of /proc/<pid>/stat times. */
const clockTicks = () => Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100

/** User + system CPU (ms) of a process and its children now running (/proc, Linux). */
const treeCpuMs = (root: number, ticks: number) => {
  const stat = (pid: string) => {
    try {
      // Fields after the command name (in parentheses, which may hold spaces): state, ppid, ... utime (14th), stime (15th).
      const rest = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ")
      return { ppid: Number(rest[1]), cpu: Number(rest[11]) + Number(rest[12]) }
    } catch {
      return null
    }
  }
  let total = stat(String(root))?.cpu ?? 0
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    const s = stat(pid)
    if (s !== null && s.ppid === root) total += s.cpu
  }
  return total * 1000 / ticks
}

/**
 * The server as deployed on both cores: apps/main.ts (through tsx, as `npm run dev`) with SIGNET_WORKERS=`workers`
 * on `dataDir`, once each server process listens; `stop` ends them.
 */
const startCluster = async (dataDir: string, workers: number) => {
  const env: NodeJS.ProcessEnv = {
    ...process.env, SIGNET_DATA_DIR: dataDir, PORT: "0", ADMIN_PORT: "0", SIGNET_PROFILE: "dev", SIGNET_LOG_LEVEL: "info",
    SIGNET_WORKERS: String(workers), SIGNET_PADES_LEVEL: "B-B", SIGNET_SMS_DAILY_PER_ACCOUNT: "100000", SIGNET_SMS_DAILY_PER_RECIPIENT: "100000",
  }
  delete env.DATABASE_URL
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "apps/main.ts")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] })
  const exited = new Promise<void>((done) => child.on("exit", () => done()))
  const ticks = clockTicks()
  const url = await new Promise<string>((resolve, reject) => {
    let seen = ""
    let listening: Array<string> = []
    const timer = setTimeout(() => reject(new Error(`the cluster did not start in 120 s: ${seen.slice(-2000)}`)), 120_000)
    const read = (d: Buffer) => {
      if (listening.length >= workers) return
      seen += d.toString()
      listening = [...seen.matchAll(/"msg":"listening".*?"portal":"([^"]+)"/g)].map((m) => m[1]!)
      if (listening.length >= workers) {
        clearTimeout(timer)
        seen = ""
        resolve(listening[0]!)
      }
    }
    // Its log lines (one per request) are read and dropped.
    child.stdout.on("data", read)
    child.stderr.on("data", read)
    child.on("exit", (code) => reject(new Error(`the cluster exited (${code}): ${seen.slice(-2000)}`)))
  })
  return {
    url,
    cpuMs: () => treeCpuMs(child.pid!, ticks),
    stop: async () => {
      child.kill("SIGTERM")
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))])
      child.kill("SIGKILL")
    },
  }
}

const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

type App = Awaited<ReturnType<typeof bootForTest>>
type User = Awaited<ReturnType<typeof createUser>>

/** `count` contracts sent by `initiator` to `signer` alone (one signature box), each with a signing code prepared as sendCode makes it. */
export const contractsFor = (app: App, initiator: User, signer: User, count: number, pdf: Uint8Array, prepareCodes = true) =>
  app.run(Effect.gen(function*() {
    const acts: Array<{ contractId: string; code: string }> = []
    for (let i = 0; i < count; i++) {
      const now = yield* Clock.currentTimeMillis
      const draft = yield* createContract(initiator, {
        name: `签署基准合同 ${i}`, pdf, mode: "sequential", deadline: now + 7 * 86_400_000,
        parties: [{ name: signer.name ?? "", mobile: signer.mobile }],
        fields: [new SignField({ partyIndex: 0, page: 1, x: 60, y: 80, width: 150, height: 60, kind: "signature" })],
      })
      yield* sendContract(initiator, draft.id)
      if (!prepareCodes) {
        acts.push({ contractId: draft.id, code: "" })
        continue
      }
      const code = String(randomInt(1_000_000)).padStart(6, "0")
      const purpose = signingPurpose(draft.id, 0, draft.documentSha256)
      yield* OtpRepository.use((r) => Effect.gen(function*() {
        yield* r.insert(new OtpChallenge({
          id: (yield* (yield* IdGenerator).next) as string as OtpId, mobile: signer.mobile, purpose: purpose as never,
          codeHash: yield* hashCode(purpose, signer.mobile, code), createdAt: now, expiresAt: now + OtpPolicy.ttlMs, failedAttempts: 0, consumedAt: null,
        }))
      }))
      acts.push({ contractId: draft.id, code })
    }
    return acts
  }))

interface Row { readonly name: string; readonly clients: number; readonly result: SigningResult; readonly cpuMsPerAct: number; readonly sql: SqlCount | null }

/**
 * The last change's before, kept as history (measured, not computed here): main before the sign-cpu commits with this
 * benchmark, on the same machine in the same session, then alternated with the change.
 */
const BEFORE = `Before (issue 23 item 3, the sign-cpu change: main at 424396b run with this benchmark, same machine, 2026-12-08 01:22 UTC, load average 5.4 before, 6.4 after): first act of a signer 37/s, 35.0 ms of CPU; repeat signer at 10 clients 89/s, p95 161 ms, 11.3 ms, 25.1 statements / 1.0 transaction per act; at 50 clients 95/s, p95 871 ms, 8.7 ms; 2 server processes 51/s, p95 3,529 ms, 16.5 ms per act. Shorter runs of main and the change alternated (10 clients × 30–60 acts, five pairs; 50 clients × 24 acts, two pairs; load 3–10) put a repeat act at 6.9–12.6 ms of CPU on main and 8.2–11.6 ms with the change: on these 2 shared cores the change to a repeat act's CPU is within the noise; the statements (25.1 → 23.1 per act) and the first act (25–35 ms → 12–15 ms) are not.`

/** Server processes of the last phase (apps/main.ts with SIGNET_WORKERS; 1 or less: no such phase). */
const clusterWorkers = Number(process.env.SIGNET_BENCH_SIGNING_WORKERS ?? 2)
/** Acts per client of the cluster phase made before its timing (each new process's caches warmed). */
const CLUSTER_WARMUP = 4

export default async function run(): Promise<string> {
  const loadBefore = loadavg()
  const started = new Date()
  const floor = opensslFloor()
  const dir = mkdtempSync(join(tmpdir(), "signet-bench-signing-"))
  // PAdES B-B: the engine's own work (B-T and above add a TSA and revocation round trips, remote in production).
  const app = await bootForTest({ SIGNET_PADES_LEVEL: "B-B" }, { perClientPerMinute: { login: 1_000_000, sms: 1_000_000 }, expirySweep: false, apiPerKeyPerMinute: 1_000_000 })
  const server = await listen(app.web.fetch)
  const rows: Array<Row> = []
  // Set by the cluster phase (in a closure: declared wide so the finally block is not narrowed to the initial values).
  let disposed = false as boolean
  let cluster = undefined as Awaited<ReturnType<typeof startCluster>> | undefined
  try {
    const pdf = await makePdf(20_000)
    const initiator = await createVerifiedUser(app, "13600000000", "基准发起人")
    const people: Array<User> = []
    for (let i = 0; i < signers; i++) people.push(await createUser(app, `1360000${String(i + 1).padStart(4, "0")}`, `签署人${i + 1}`))
    const phase = async (name: string, clients: number, acts: number, options: { askCodes?: boolean; workers?: number } = {}) => {
      console.log(`  ${name}: ${clients} clients × ${acts} acts`)
      const warmup = options.workers === undefined ? 0 : CLUSTER_WARMUP
      // One signer after the other: the uploads' checks run in the bounded worker pool.
      const planned: Array<SigningPlan["clients"][number]> = []
      for (const p of people.slice(0, clients)) planned.push({ mobile: p.mobile, password: "Demo1234", acts: await contractsFor(app, initiator, p, acts + warmup, pdf, options.askCodes !== true) })
      const plan: SigningPlan = { url: server.url, clients: planned, warmup }
      // The cluster phase: the clients log in here, then this process's server stops and the cluster serves the acts.
      const elsewhere = options.workers === undefined ? undefined : async () => {
        await server.close()
        await app.dispose()
        disposed = true
        cluster = await startCluster(app.dataDir, options.workers!)
        return cluster
      }
      const { result, cpuMs, sql } = await drive(plan, dir, `${name.replace(/[^A-Za-z]+/g, "-")}${clients}`, elsewhere)
      const perAct = (n: number) => n / Math.max(1, result.acts + result.errors)
      rows.push({ name, clients, result, cpuMsPerAct: perAct(cpuMs), sql })
      console.log(`  ${(result.acts / result.seconds).toFixed(0)}/s, p95 ${fmt(result.p95)} ms, ${perAct(cpuMs).toFixed(2)} ms CPU per act${sql === null ? "" : `; SQL per act ${perAct(sql.statements).toFixed(1)}, most run:\n    ${sql.top.map(([q, n]) => `${n} × ${q.slice(0, 140)}`).join("\n    ")}`}`)
    }
    // Each signer's first act: its code asked for through the portal (untimed), then the act (timed); the acts after
    // it are a repeat signer's.
    await phase("first act of a signer", signers, 1, { askCodes: true })
    for (const p of phases) await phase("repeat signer", p.clients, p.acts)
    // Last: this process's server gives way to the cluster.
    if (clusterWorkers > 1) await phase(`repeat signer, ${clusterWorkers} server processes`, phases[1].clients, phases[1].acts, { workers: clusterWorkers })
  } finally {
    await cluster?.stop()
    if (disposed) rmSync(app.dataDir, { recursive: true, force: true })
    else {
      await server.close()
      await app.close()
    }
    rmSync(dir, { recursive: true, force: true })
  }
  const floorAfter = opensslFloor()
  const loadAfter = loadavg()
  const rsa = (floor.rsa + floorAfter.rsa) / 2
  const ecdsa = (floor.ecdsa + floorAfter.ecdsa) / 2
  const perAct = (r: Row, n: number) => (n / Math.max(1, r.result.acts + r.result.errors)).toFixed(1)
  const table = rows.map((r) =>
    `| ${r.name} | ${r.clients} | ${r.result.acts.toLocaleString("en")} | ${(r.result.acts / r.result.seconds).toFixed(0)}/s | ${fmt(r.result.p50)} | ${fmt(r.result.p95)} | ${fmt(r.result.p99)} | ${r.cpuMsPerAct.toFixed(2)} ms | ${r.sql === null ? "—" : `${perAct(r, r.sql.statements)} / ${perAct(r, r.sql.transactions)}`} | ${((r.result.acts / r.result.seconds) / rsa * 100).toFixed(1)}% | ${r.result.errors}${r.result.firstError === undefined ? "" : ` (first: ${r.result.firstError.replace(/\|/g, "/").slice(0, 80)})`} |`)
  const avg = (l: ReadonlyArray<number>) => l.map((x) => x.toFixed(2)).join(", ")
  return `## Signing acts over HTTP (issue 23 item 3)

Run ${started.toISOString().slice(0, 16).replace("T", " ")} UTC; load average (1, 5, 15 min) ${avg(loadBefore)} before, ${avg(loadAfter)} after, on a machine shared with other work.
One instance, SQLite, dev profile with SIGNET_PADES_LEVEL=B-B (ECDSA P-256 person keys; B-T and above add a TSA and revocation round trips), served by @hono/node-server in the benchmark's process; the clients in a child process (bench/signingHttpDriver.ts, fetch with keep-alive), each a signer posting POST /contracts/:id/sign for its own one-party contracts (20 kB PDF, one signature box), one after the other. Codes are prepared before the run as sendCode makes them, except for each signer's first act, whose code is asked for through the portal (POST /contracts/:id/code, untimed) as a signer would; log-ins are done before the timing starts.
Last row: the server as deployed on both cores, \`apps/main.ts\` with SIGNET_WORKERS=${clusterWorkers} (node:cluster: that many server processes on the same SQLite file; through tsx as \`npm run dev\` starts it) on this run's data directory, once this process's server is closed; the clients log in before the switch, then make ${CLUSTER_WARMUP} untimed acts each (the new processes' caches: a signer's key and written name are per process). Its server CPU: the primary's and its children's user + system time (/proc), and no SQL count.
Server CPU per act: this process's user + system time over the acts divided by their number (the clients' process excluded). SQL statements: those better-sqlite3 ran in this process over the acts (background work such as the evidence sequencer included; begin/commit counted as transactions), divided by the acts.
Floor, in the same run (mean of before and after): \`openssl speed\` ${rsa.toFixed(0)} RSA-2048 and ${ecdsa.toFixed(0)} ECDSA P-256 signatures per second on one core.

| acts | clients | done | throughput | p50 ms | p95 ms | p99 ms | server CPU per act | SQL statements / transactions per act | throughput / RSA-2048 floor | errors |
|---|---|---|---|---|---|---|---|---|---|---|
${table.join("\n")}

Targets (issue 23): ≥ 1,000 acts/s on 2 cores (1/8 of the RSA floor of two cores), p95 ≤ 50 ms at 50 clients.

${BEFORE}
`
}
