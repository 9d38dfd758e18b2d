import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { encodePng } from "../../fixtures/png.ts"
import { runTaskHere } from "../../core/untrusted/tasks.ts"
import { layer as layerCrypto } from "../crypto-node/index.ts"
import { webCryptoLayer } from "../keys-software/index.ts"
import { defaultPoolOptions, makePool } from "./index.ts"

const testWorker = new URL("./testWorker.ts", import.meta.url)
const options = { ...defaultPoolOptions, entry: testWorker, size: 1, queueLimit: 1, timeoutMs: 1_000, maxOldGenerationSizeMb: 64 }

/** A 40x40 grey image with a dark square: a small seal scan. */
const smallPng = () => {
  const raw = new Uint8Array(41 * 40).fill(255)
  for (let y = 0; y < 40; y++) {
    raw[y * 41] = 0
    if (y >= 10 && y < 30) raw.fill(0, y * 41 + 11, y * 41 + 31)
  }
  return encodePng(40, 40, 0, raw)
}

describe("worker pool", () => {
  it("runs a core task in a worker process (TypeScript loaded through tsx) with the same answer as in-process", async () => {
    const pool = makePool({ ...defaultPoolOptions, size: 1 })
    try {
      const input = { bytes: smallPng(), maxSide: 800 }
      const inWorker = await Effect.runPromise(pool.run("image.clean", input))
      const here = await Effect.runPromise(runTaskHere("image.clean", input).pipe(Effect.provide([layerCrypto, webCryptoLayer])))
      expect(inWorker).toEqual(here)
      expect(inWorker.ok).toBe(true)
    } finally {
      await pool.close()
    }
  })

  it("refuses as busy (系统繁忙) once the queue is full, and terminates a task that runs past its time", async () => {
    const pool = makePool({ ...options, queueLimit: 2 })
    try {
      const first = pool.submit("spin", null)
      const second = pool.submit("echo", "queued")
      // The worker is still starting: both wait, and fill a queue of two.
      await expect(pool.submit("echo", "third")).resolves.toEqual({ ok: false, reason: "busy" })
      await expect(first).resolves.toEqual({ ok: false, reason: "timeout" })
      // The terminated worker was replaced and the waiting task ran.
      await expect(second).resolves.toEqual({ ok: true, value: "queued" })
    } finally {
      await pool.close()
    }
  })

  it("ends a worker that exhausts its heap limit (gradually or in one allocation) or its stack, and keeps serving", async () => {
    const pool = makePool({ ...options, queueLimit: 4, timeoutMs: 60_000 })
    try {
      await expect(pool.submit("alloc", null)).resolves.toEqual({ ok: false, reason: "tooComplex" })
      // One huge array: in a worker thread this aborted the whole process (nodejs/node#47224); a worker process dies alone.
      await expect(pool.submit("allocOnce", null)).resolves.toEqual({ ok: false, reason: "tooComplex" })
      await expect(pool.submit("recurse", null)).resolves.toEqual({ ok: false, reason: "tooComplex" })
      await expect(pool.submit("echo", 1)).resolves.toEqual({ ok: true, value: 1 })
    } finally {
      await pool.close()
    }
  })

  it("refuses what is still waiting when closed", async () => {
    const pool = makePool({ ...options, queueLimit: 2 })
    const running = pool.submit("spin", null)
    const waiting = pool.submit("echo", 1)
    await pool.close()
    await expect(running).resolves.toEqual({ ok: false, reason: "busy" })
    await expect(waiting).resolves.toEqual({ ok: false, reason: "busy" })
  })
})
