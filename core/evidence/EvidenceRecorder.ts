import { Context, Effect, Layer, Option } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { Crypto } from "../ports/Crypto.ts"
import { Hash } from "../ports/Hash.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { TreeStore } from "../ports/TreeStore.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import { recordEvent, type RecordEventInput } from "./recordEvent.ts"

/** Who is on the other end of the request being served; the app sets it per request (it enters events as commitments). */
export interface EvidenceClient {
  readonly ip?: string | undefined
  readonly userAgent?: string | undefined
}
export const CurrentClient = Context.Reference<EvidenceClient>("core/evidence/CurrentClient", { defaultValue: () => ({}) })

export type EventOf<A> = (result: A) => Omit<RecordEventInput, "ip" | "userAgent">

/**
 * Records evidence for other contexts' use cases: the state change and its
 * event commit in one transaction, so neither exists without the other.
 */
export class EvidenceRecorder extends Context.Service<EvidenceRecorder, {
  readonly atomically: <A, E, R>(change: Effect.Effect<A, E, R>, event: EventOf<A>) => Effect.Effect<A, E | RepositoryError, R>
}>()("core/evidence/EvidenceRecorder") {
  static readonly layer = Layer.effect(
    EvidenceRecorder,
    Effect.gen(function*() {
      const uow = yield* UnitOfWork
      // Only these services: the transaction itself travels in the caller's fiber and must stay visible.
      let services = Context.make(Crypto, yield* Crypto).pipe(
        Context.add(EvidenceStore, yield* EvidenceStore),
        Context.add(IdGenerator, yield* IdGenerator),
        Context.add(UnitOfWork, uow),
        // The Merkle tree: stores with serialised writers log events as they are recorded.
        Context.add(TreeStore, yield* TreeStore),
      )
      // Where wired, the documents (for SM3 of a new document version) and the native hash.
      const blobs = yield* Effect.serviceOption(BlobStore)
      if (Option.isSome(blobs)) services = Context.add(services, BlobStore, blobs.value)
      const hash = yield* Effect.serviceOption(Hash)
      if (Option.isSome(hash)) services = Context.add(services, Hash, hash.value)
      return {
        atomically: <A, E, R>(change: Effect.Effect<A, E, R>, event: EventOf<A>) =>
          uow.transact(Effect.gen(function*() {
            const result = yield* change
            const client = yield* CurrentClient
            yield* recordEvent({ ...event(result), ip: client.ip, userAgent: client.userAgent }).pipe(
              Effect.provideContext(services),
              // Canonical encoding of our own event data cannot fail: a failure here is a bug.
              Effect.catchTag("NotCanonicalJson", (e) => Effect.die(e)),
            )
            return result
          })),
      }
    }),
  )
}

/**
 * Runs `change` and records its event in the same transaction when the
 * runtime records evidence (the apps always do); runs `change` alone where no
 * recorder is wired (unit tests of other contexts).
 */
export const withEvidence = <A, E, R>(change: Effect.Effect<A, E, R>, event: EventOf<A>): Effect.Effect<A, E | RepositoryError, R> =>
  Effect.flatMap(Effect.serviceOption(EvidenceRecorder), (recorder) => Option.isSome(recorder) ? recorder.value.atomically(change, event) : change)
