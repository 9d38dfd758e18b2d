/**
 * The V8 sampling profiler's output, summarised: the functions with the most self time. Shared by the benchmarks
 * that keep a profile's top entries (profile.bench.ts, signing-http.bench.ts).
 */
export interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: Array<number> }
export interface Profile { nodes: Array<ProfileNode>; samples: Array<number>; timeDeltas: Array<number> }

/** Self time per function (name, file:line), largest first, as shares of the profile. */
export const topSelf = (p: Profile, TOP = 8) => {
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const self = new Map<string, number>()
  let total = 0
  p.samples.forEach((id, i) => {
    const n = byId.get(id)!
    const dt = p.timeDeltas[i] ?? 0
    total += dt
    const file = n.callFrame.url.replace(/^.*\/(node_modules\/)?/, (m) => (m.includes("node_modules") ? "~" : "")).split("/").slice(-2).join("/")
    const key = `${n.callFrame.functionName || "(anonymous)"} ${file}${file === "" ? "" : `:${n.callFrame.lineNumber + 1}`}`
    self.set(key, (self.get(key) ?? 0) + dt)
  })
  // Not the operation's work: waiting (idle), the profiler's own session call, unattributed VM time.
  const waiting = (k: string) => k.startsWith("(idle)") || k.startsWith("(program)") || k.startsWith("post node:inspector")
  const busy = [...self].filter(([k]) => !waiting(k)).reduce((sum, [, t]) => sum + t, 0)
  const top = [...self].filter(([k]) => !waiting(k) && !k.startsWith("(garbage collector)"))
    .sort((a, b) => b[1] - a[1]).slice(0, TOP).map(([k, t]) => `${(100 * t / busy).toFixed(1)}% \`${k.trim()}\``)
  return { top, gc: (self.get("(garbage collector) ") ?? 0) / busy, busyMs: busy / 1000 }
}
