import { AsyncLocalStorage } from "node:async_hooks"
import { Effect, Layer } from "effect"
import type { MiddlewareHandler } from "hono"
import { socketAddress, type ClientAddress } from "./clientAddress.ts"
import { CurrentClient, EvidenceRecorder, type EvidenceClient } from "../../../core/evidence/EvidenceRecorder.ts"

const requestClient = new AsyncLocalStorage<EvidenceClient>()

/**
 * Remembers who is on the other end of the request (its address as `address`
 * reads it: through SIGNET_TRUSTED_PROXIES only, never a header anyone can
 * send; user agent) for the evidence events its use cases record. They enter
 * the log only as salted commitments.
 */
export const evidenceClientVia = (address: ClientAddress): MiddlewareHandler => (c, next) =>
  requestClient.run({ ip: socketAddress(c) === undefined ? undefined : address(c), userAgent: c.req.header("user-agent") }, next)

/** The socket's address, for an app not given the trusted proxies. */
export const evidenceClient: MiddlewareHandler = evidenceClientVia((c) => socketAddress(c) ?? "")

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
    record: (events: Parameters<typeof recorder.record>[0]) =>
      Effect.suspend(() => {
        const client = requestClient.getStore()
        return client === undefined ? recorder.record(events) : Effect.provideService(recorder.record(events), CurrentClient, client)
      }),
  })),
).pipe(Layer.provide(EvidenceRecorder.layer))
