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
