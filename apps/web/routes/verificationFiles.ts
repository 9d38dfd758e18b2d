import type { Context } from "hono"
import { failureOf, type ExitRunner } from "../../platform/http/runner.ts"

/** A multipart field's file, or null when the field is missing or empty. */
export const fileOf = (body: Record<string, unknown>, name: string): File | null => {
  const f = body[name]
  return f instanceof File && f.size > 0 ? f : null
}

export const bytesOf = async (file: File): Promise<Uint8Array> => new Uint8Array(await file.arrayBuffer())

/** Runs a use case; expected failures come back as values, defects are thrown to the app's error handler. */
export const attempt = async <A, E, R>(exit: ExitRunner<R>, effect: import("effect").Effect.Effect<A, E, R>) => {
  const result = await exit(effect)
  const error = failureOf(result)
  if (error !== undefined) return { ok: false as const, error }
  if (result._tag === "Failure") throw result.cause
  return { ok: true as const, value: result.value }
}

/**
 * Serves an uploaded file inline to whoever the route already checked. Never
 * cached by shared caches; the type is the sniffed one, never the browser's.
 */
export const serveUpload = (c: Context, file: { upload: { mediaType: string; id: string }; bytes: Uint8Array }) =>
  c.body(new Uint8Array(file.bytes), 200, {
    "content-type": file.upload.mediaType,
    "content-disposition": `inline; filename="${file.upload.id}.${file.upload.mediaType === "application/pdf" ? "pdf" : file.upload.mediaType === "image/png" ? "png" : "jpg"}"`,
    "cache-control": "private, no-store",
    "x-content-type-options": "nosniff",
  })
