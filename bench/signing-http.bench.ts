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
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { listen } from "./listen.ts"
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


/** Runs the clients; returns their result and this process's CPU time (ms) between the clients' READY and their end. */
const drive = (plan: SigningPlan, dir: string) =>
  new Promise<{ result: SigningResult; cpuMs: number }>((resolve, reject) => {
    const file = join(dir, `plan-${randomInt(1e9)}.json`)
    writeFileSync(file, JSON.stringify(plan))
    const child = spawn(process.execPath, [`${root}node_modules/tsx/dist/cli.mjs`, driver, file], { cwd: root, stdio: ["pipe", "pipe", "pipe"] })
    let out = ""
    let err = ""
    let cpuAtGo = 0
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString()
      if (cpuAtGo === 0 && out.includes("READY\n")) {
        cpuAtGo = cpuMs()
        child.stdin.write("go\n")
      }
    })
    child.stderr.on("data", (d: Buffer) => void (err += d.toString()))
    child.on("exit", (code) => {
      const cpu = cpuMs() - cpuAtGo
      const line = out.trim().split("\n").pop() ?? ""
      if (code !== 0 || !line.startsWith("{")) reject(new Error(`signing driver failed (${code}): ${err.slice(-2000)}`))
      else resolve({ result: JSON.parse(line) as SigningResult, cpuMs: cpu })
    })
  })

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

interface Row { readonly name: string; readonly clients: number; readonly result: SigningResult; readonly cpuMsPerAct: number }

export default async function run(): Promise<string> {
  const loadBefore = loadavg()
  const started = new Date()
  const floor = opensslFloor()
  const dir = mkdtempSync(join(tmpdir(), "signet-bench-signing-"))
  // PAdES B-B: the engine's own work (B-T and above add a TSA and revocation round trips, remote in production).
  const app = await bootForTest({ SIGNET_PADES_LEVEL: "B-B" }, { perClientPerMinute: { login: 1_000_000, sms: 1_000_000 }, expirySweep: false, apiPerKeyPerMinute: 1_000_000 })
  const server = await listen(app.web.fetch)
  const rows: Array<Row> = []
  try {
    const pdf = await makePdf(20_000)
    const initiator = await createVerifiedUser(app, "13600000000", "基准发起人")
    const people: Array<User> = []
    for (let i = 0; i < signers; i++) people.push(await createUser(app, `1360000${String(i + 1).padStart(4, "0")}`, `签署人${i + 1}`))
    const phase = async (name: string, clients: number, acts: number, askCodes = false) => {
      console.log(`  ${name}: ${clients} clients × ${acts} acts`)
      // One signer after the other: the uploads' checks run in the bounded worker pool.
      const planned: Array<SigningPlan["clients"][number]> = []
      for (const p of people.slice(0, clients)) planned.push({ mobile: p.mobile, password: "Demo1234", acts: await contractsFor(app, initiator, p, acts, pdf, !askCodes) })
      const plan: SigningPlan = { url: server.url, clients: planned }
      const { result, cpuMs } = await drive(plan, dir)
      rows.push({ name, clients, result, cpuMsPerAct: cpuMs / Math.max(1, result.acts + result.errors) })
    }
    // Each signer's first act: its code asked for through the portal (untimed), then the act (timed); the acts after
    // it are a repeat signer's.
    await phase("first act of a signer", signers, 1, true)
    for (const p of phases) await phase("repeat signer", p.clients, p.acts)
  } finally {
    await server.close()
    await app.close()
    rmSync(dir, { recursive: true, force: true })
  }
  const floorAfter = opensslFloor()
  const loadAfter = loadavg()
  const rsa = (floor.rsa + floorAfter.rsa) / 2
  const ecdsa = (floor.ecdsa + floorAfter.ecdsa) / 2
  const table = rows.map((r) =>
    `| ${r.name} | ${r.clients} | ${r.result.acts.toLocaleString("en")} | ${(r.result.acts / r.result.seconds).toFixed(0)}/s | ${fmt(r.result.p50)} | ${fmt(r.result.p95)} | ${fmt(r.result.p99)} | ${r.cpuMsPerAct.toFixed(2)} ms | ${((r.result.acts / r.result.seconds) / rsa * 100).toFixed(1)}% | ${r.result.errors}${r.result.firstError === undefined ? "" : ` (first: ${r.result.firstError.replace(/\|/g, "/").slice(0, 80)})`} |`)
  const avg = (l: ReadonlyArray<number>) => l.map((x) => x.toFixed(2)).join(", ")
  return `## Signing acts over HTTP (issue 23 item 3)

Run ${started.toISOString().slice(0, 16).replace("T", " ")} UTC; load average (1, 5, 15 min) ${avg(loadBefore)} before, ${avg(loadAfter)} after, on a machine shared with other work.
One instance, SQLite, dev profile with SIGNET_PADES_LEVEL=B-B (ECDSA P-256 person keys; B-T and above add a TSA and revocation round trips), served by @hono/node-server in the benchmark's process; the clients in a child process (bench/signingHttpDriver.ts, fetch with keep-alive), each a signer posting POST /contracts/:id/sign for its own one-party contracts (20 kB PDF, one signature box), one after the other. Codes are prepared before the run as sendCode makes them, except for each signer's first act, whose code is asked for through the portal (POST /contracts/:id/code, untimed) as a signer would; log-ins are done before the timing starts.
Server CPU per act: this process's user + system time over the acts divided by their number (the clients' process excluded).
Floor, in the same run (mean of before and after): \`openssl speed\` ${rsa.toFixed(0)} RSA-2048 and ${ecdsa.toFixed(0)} ECDSA P-256 signatures per second on one core.

| acts | clients | done | throughput | p50 ms | p95 ms | p99 ms | server CPU per act | throughput / RSA-2048 floor | errors |
|---|---|---|---|---|---|---|---|---|---|
${table.join("\n")}

Targets (issue 23): ≥ 1,000 acts/s on 2 cores (1/8 of the RSA floor of two cores), p95 ≤ 50 ms at 50 clients.
`
}
