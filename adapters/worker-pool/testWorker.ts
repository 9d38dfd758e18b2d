/** A worker for the pool's own tests: tasks that never end, exhaust the heap (gradually or in one array), overflow the stack, or echo. */
import { serveTasks } from "./serve.ts"

const recurse = (n: number): number => recurse(n + 1) + 1

serveTasks(async (task, input) => {
  switch (task) {
    case "echo": return { ok: true, value: input }
    case "spin": for (;;) { /* a parser stuck in a loop */ }
    case "alloc": {
      const kept: Array<Array<number>> = []
      for (;;) kept.push(Array.from({ length: 100_000 }, (_, i) => i))
    }
    case "allocOnce": {
      const big: Array<number> = []
      for (let i = 0; i < 200_000_000; i++) big.push(i)
      return { ok: true, value: big.length }
    }
    case "recurse": return { ok: true, value: recurse(0) }
    default: return { ok: false }
  }
})
