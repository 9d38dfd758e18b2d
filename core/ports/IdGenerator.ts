import { Clock, Context, Effect, Layer, Ref } from "effect"
import type { NumericId } from "../kernel/Ids.ts"
import { initialSnowflake, nextSnowflake } from "../kernel/snowflake.ts"

/** Issues 19-digit, time-ordered ids (entity ids and contract numbers). */
export class IdGenerator extends Context.Service<IdGenerator, {
  readonly next: Effect.Effect<NumericId>
  /** `n` ids in order, at one clock reading (a batch of evidence events). */
  readonly nextMany: (n: number) => Effect.Effect<ReadonlyArray<NumericId>>
}>()("core/ports/IdGenerator") {
  /**
   * Snowflake generator for one worker id. Uniqueness across processes needs a
   * distinct worker id per live process: adapters/sql leases one in the database.
   */
  static readonly layerSnowflake = (workerId: number) =>
    Layer.effect(
      IdGenerator,
      Effect.gen(function*() {
        const state = yield* Ref.make(initialSnowflake)
        const take = (n: number) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) =>
            Ref.modify(state, (s) => {
              const ids: Array<NumericId> = []
              for (let i = 0; i < n; i++) {
                const [id, next] = nextSnowflake(s, now, workerId)
                ids.push(id as NumericId)
                s = next
              }
              return [ids, s] as const
            }))
        return {
          next: Effect.map(take(1), (ids) => ids[0]!),
          nextMany: take,
        }
      }),
    )
}
