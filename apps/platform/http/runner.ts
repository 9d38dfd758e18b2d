import { Exit, type Effect, type ManagedRuntime } from "effect"
import { requestContext } from "../../../adapters/observability/index.ts"
import { isDatabaseUnavailable } from "../../../adapters/sql/unavailable.ts"

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

/** Tells the request being served that its database went away (the 503 middleware answers for it). */
const noteFailure = (error: unknown) => {
  const ctx = requestContext.getStore()
  if (ctx !== undefined && !ctx.databaseUnavailable && isDatabaseUnavailable(error)) ctx.databaseUnavailable = true
}
const noteExit = <A, E>(exit: Exit.Exit<A, E>) => {
  if (Exit.isFailure(exit)) for (const r of exit.cause.reasons) noteFailure(r._tag === "Fail" ? r.error : r._tag === "Die" ? r.defect : undefined)
  return exit
}

export const makeRunners = <R, ER>(runtime: ManagedRuntime.ManagedRuntime<R, ER>) => ({
  run: ((effect) => runtime.runPromise(effect).catch((e: unknown) => {
    noteFailure(e)
    throw e
  })) as Runner<R>,
  exit: ((effect) => runtime.runPromiseExit(effect).then(noteExit)) as ExitRunner<R>,
})

/** The expected error of a failed exit, or undefined when it died. */
export const failureOf = <A, E>(exit: Exit.Exit<A, E>): E | undefined => {
  if (Exit.isSuccess(exit)) return undefined
  const reason = exit.cause.reasons.find((r) => r._tag === "Fail")
  return reason?._tag === "Fail" ? reason.error : undefined
}
