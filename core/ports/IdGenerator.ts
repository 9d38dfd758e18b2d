import { Clock, Context, Effect, Layer, Ref } from "effect"
import type { NumericId } from "../kernel/Ids.ts"
import { initialSnowflake, nextSnowflake } from "../kernel/snowflake.ts"

/** Issues 19-digit, time-ordered ids (entity ids and contract numbers). */
export class IdGenerator extends Context.Service<IdGenerator, {
  readonly next: Effect.Effect<NumericId>
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
        return {
          next: Effect.gen(function*() {
            const now = yield* Clock.currentTimeMillis
            return yield* Ref.modify(state, (s) => {
              const [id, next] = nextSnowflake(s, now, workerId)
              return [id as NumericId, next] as const
            })
          }),
        }
      }),
    )
}
