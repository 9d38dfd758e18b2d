import { Context, Effect, Layer, Option } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { Crypto } from "../ports/Crypto.ts"
import { Hash } from "../ports/Hash.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { TreeStore } from "../ports/TreeStore.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import { recordEvents, type RecordEventInput } from "./recordEvent.ts"

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
  /** Records the events of an act in the current transaction (the aggregate's write set, core/kernel/aggregate.ts), in order. */
  readonly record: (events: ReadonlyArray<Omit<RecordEventInput, "ip" | "userAgent">>) => Effect.Effect<void, RepositoryError>
}>()("core/evidence/EvidenceRecorder") {
  /**
   * Records nothing: for unit tests of other contexts and embedders that keep
   * no evidence. Named so a runtime without evidence says so where it is built;
   * a runtime that provides neither this nor `layer` does not compile.
   */
  static readonly none = Layer.succeed(EvidenceRecorder, {
    atomically: <A, E, R>(change: Effect.Effect<A, E, R>) => change,
    record: () => Effect.void,
  })

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
      const record = (events: ReadonlyArray<Omit<RecordEventInput, "ip" | "userAgent">>) =>
        Effect.flatMap(CurrentClient, (client) =>
          recordEvents(events.map((e) => ({ ...e, ip: client.ip, userAgent: client.userAgent }))).pipe(
            Effect.provideContext(services),
            // Canonical encoding of our own event data cannot fail: a failure here is a bug.
            Effect.catchTag("NotCanonicalJson", (e) => Effect.die(e)),
            Effect.asVoid,
          ))
      return {
        atomically: <A, E, R>(change: Effect.Effect<A, E, R>, event: EventOf<A>) =>
          uow.transact(Effect.tap(change, (result) => record([event(result)]))),
        record,
      }
    }),
  )
}

/**
 * Runs `change` and records its event in the same transaction. The recorder
 * is a requirement: a runtime that records nothing provides
 * `EvidenceRecorder.none` by name.
 */
export const withEvidence = <A, E, R>(change: Effect.Effect<A, E, R>, event: EventOf<A>): Effect.Effect<A, E | RepositoryError, R | EvidenceRecorder> =>
  EvidenceRecorder.use((recorder) => recorder.atomically(change, event))
