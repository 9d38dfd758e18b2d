import { Exit, type Effect, type ManagedRuntime } from "effect"

/**
 * Runs a use case on the app's runtime. `run` rejects on any failure (to the
 * app's error handler); `exit` hands expected failures back as values so
 * routes can map them to zh-CN messages.
 */
export interface Runner<R> {
  <A, E>(effect: Effect.Effect<A, E, R>): Promise<A>
}
export interface ExitRunner<R> {
  <A, E>(effect: Effect.Effect<A, E, R>): Promise<Exit.Exit<A, E>>
}

export const makeRunners = <R, ER>(runtime: ManagedRuntime.ManagedRuntime<R, ER>) => ({
  run: ((effect) => runtime.runPromise(effect)) as Runner<R>,
  exit: ((effect) => runtime.runPromiseExit(effect)) as ExitRunner<R>,
})

/** The expected error of a failed exit, or undefined when it died. */
export const failureOf = <A, E>(exit: Exit.Exit<A, E>): E | undefined => {
  if (Exit.isSuccess(exit)) return undefined
  const reason = exit.cause.reasons.find((r) => r._tag === "Fail")
  return reason?._tag === "Fail" ? reason.error : undefined
}
