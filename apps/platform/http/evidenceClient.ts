import { AsyncLocalStorage } from "node:async_hooks"
import { Effect, Layer } from "effect"
import type { MiddlewareHandler } from "hono"
import { CurrentClient, EvidenceRecorder, type EvidenceClient } from "../../../core/evidence/EvidenceRecorder.ts"

const requestClient = new AsyncLocalStorage<EvidenceClient>()

/**
 * Remembers who is on the other end of the request (socket address, not a
 * spoofable header; user agent) for the evidence events its use cases record.
 * They enter the log only as salted commitments.
 */
export const evidenceClient: MiddlewareHandler = (c, next) => {
  const ip = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress
  return requestClient.run({ ip, userAgent: c.req.header("user-agent") }, next)
}

/** The core recorder, fed the current request's client (none outside a request: CLI, seed, background jobs). */
export const layerRecorderWithClient = Layer.effect(
  EvidenceRecorder,
  Effect.map(Effect.service(EvidenceRecorder), (recorder) => ({
    atomically: <A, E, R>(change: Effect.Effect<A, E, R>, event: Parameters<typeof recorder.atomically<A, E, R>>[1]) =>
      Effect.suspend(() => {
        const client = requestClient.getStore()
        const recorded = recorder.atomically(change, event)
        return client === undefined ? recorded : Effect.provideService(recorded, CurrentClient, client)
      }),
  })),
).pipe(Layer.provide(EvidenceRecorder.layer))
