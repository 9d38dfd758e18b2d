import { AsyncLocalStorage } from "node:async_hooks"
import { Cause, Logger, References } from "effect"

/** What one HTTP request carries through everything it runs (ALS follows its promises and fibers). */
export interface RequestContext {
  readonly requestId: string
  /** Set when something this request ran found the database unreachable (the apps then answer 503). */
  databaseUnavailable: boolean
}

export const requestContext = new AsyncLocalStorage<RequestContext>()

export type Level = "debug" | "info" | "warn" | "error"

const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 }
const threshold = RANK[(process.env.SIGNET_LOG_LEVEL ?? "info") as Level] ?? RANK.info

/** Where log lines go (tests swap it to read them); below SIGNET_LOG_LEVEL (default info) nothing is written. */
export const logSink = {
  write: (level: Level, line: string) => {
    if (RANK[level] >= threshold) (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${line}\n`)
  },
}

/** An error as log fields: its message and the chain of causes (messages only: never a secret-bearing object). */
export const errorFields = (error: unknown): Record<string, unknown> => {
  const chain: Array<string> = []
  let e: unknown = error
  for (let i = 0; i < 6 && e !== undefined && e !== null; i++) {
    const o = e as { _tag?: unknown; name?: unknown; message?: unknown; code?: unknown; operation?: unknown; cause?: unknown }
    const label = [typeof o._tag === "string" ? o._tag : typeof o.name === "string" ? o.name : typeof e,
      typeof o.operation === "string" ? `(${o.operation})` : "", typeof o.code === "string" ? `[${o.code}]` : ""].join("")
    chain.push(`${label}: ${typeof o.message === "string" ? o.message : typeof e === "string" ? e : ""}`.trim())
    e = typeof e === "object" ? o.cause : undefined
  }
  return { error: chain[0], ...(chain.length > 1 ? { cause: chain.slice(1) } : {}) }
}

/**
 * One JSON object per line: time, level, message, the request id when inside
 * a request, then the fields. The single home of the log format.
 */
export const log = (level: Level, msg: string, fields: Record<string, unknown> = {}) => {
  const ctx = requestContext.getStore()
  logSink.write(level, JSON.stringify({ time: new Date().toISOString(), level, msg, ...(ctx === undefined ? {} : { requestId: ctx.requestId }), ...fields }))
}

const LEVELS: Record<string, Level> = { Trace: "debug", Debug: "debug", Info: "info", Warn: "warn", Warning: "warn", Error: "error", Fatal: "error" }

/** Effect's log calls (Effect.logError …, with their annotations and cause) as the same JSON lines. */
export const jsonLogger = Logger.make(({ cause, fiber, logLevel, message }) => {
  const annotations = fiber.getRef(References.CurrentLogAnnotations)
  const parts = Array.isArray(message) ? message : [message]
  const squashed = cause.reasons.length > 0 ? { ...errorFields(Cause.squash(cause)) } : {}
  log(LEVELS[logLevel] ?? "info", parts.map((p) => typeof p === "string" ? p : JSON.stringify(p)).join(" "), { ...annotations, ...squashed })
})

export const layerJsonLogger = Logger.layer([jsonLogger])
