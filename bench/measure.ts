import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { PDFDocument } from "pdf-lib"

/** Median wall time of `fn` over `runs` runs after `warmup` runs, in milliseconds. */
export const medianMs = async (fn: () => unknown, runs: number, warmup = Math.min(5, runs)): Promise<number> => {
  for (let i = 0; i < warmup; i++) await fn()
  const times: Array<number> = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]!
}

export const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3))
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`

/** A valid PDF of about `bytes` size: one page plus an unreferenced incompressible stream. */
export const makePdf = async (bytes: number): Promise<Uint8Array> => {
  const doc = await PDFDocument.create()
  doc.addPage([595, 842]).drawText("benchmark", { x: 50, y: 780 })
  const filler = new Uint8Array(bytes)
  for (let i = 0; i < filler.length; i += 65536) filler.set(createHash("sha256").update(String(i)).digest(), i)
  doc.context.register(doc.context.stream(filler))
  return doc.save({ useObjectStreams: false })
}

/**
 * This process's peak RSS in bytes. Linux keeps getrusage's maxRSS across
 * execve, so a child spawned by a big parent (npm run bench after the
 * 1M-contract benchmark) would inherit its peak; VmHWM starts afresh.
 */
export const peakRss = (): number => {
  try {
    const kb = readFileSync("/proc/self/status", "utf8").match(/^VmHWM:\s+(\d+) kB/m)?.[1]
    if (kb !== undefined) return Number(kb) * 1024
  } catch {
    // not Linux: fall back to maxRSS
  }
  return process.resourceUsage().maxRSS * 1024
}

/** Runs `script` with `args` in a fresh Node process and parses the JSON object its last output line holds. */
export const childJson = (script: string, args: ReadonlyArray<string>): Record<string, number> => {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: "utf8", maxBuffer: 1 << 20 })
  const line = r.stdout.trim().split("\n").pop() ?? ""
  if (r.status !== 0 || !line.startsWith("{")) throw new Error(`${args.join(" ")} failed: ${r.stderr.slice(-2000)}`)
  return JSON.parse(line) as Record<string, number>
}
