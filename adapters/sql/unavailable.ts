/**
 * Whether a failure means the database cannot be reached right now (refused,
 * reset, timed out, shut down), as opposed to a query or data problem. The
 * apps answer 503 for these and keep the session; anything else stays a 500.
 * Follows `cause` links (RepositoryError, JobQueueError wrap the driver's error).
 */
const CODES = new Set([
  // Sockets.
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN",
  // Postgres: connection exceptions (08…), admin/crash shutdown, cannot connect now, statement timeout / cancel.
  "08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03", "57014",
])
const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /query read timeout/i,
  /not queryable/i,
  /cannot use a pool after calling end/i,
  /client was closed/i,
  /the database system is (starting up|shutting down)/i,
]

export const isDatabaseUnavailable = (error: unknown, depth = 0): boolean => {
  if (error === null || typeof error !== "object" || depth > 6) return false
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown }
  if (typeof e.code === "string" && CODES.has(e.code)) return true
  if (typeof e.message === "string" && MESSAGES.some((m) => m.test(e.message as string))) return true
  // AggregateError (a connect that tried IPv4 and IPv6).
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true
  return isDatabaseUnavailable(e.cause, depth + 1)
}
