import type { Context, MiddlewareHandler } from "hono"
import { bodyLimit } from "hono/body-limit"

const KB = 1024
const MB = 1024 * KB

/** A kind of request body: how many bytes it may have, and what the user is told when it has more (zh-CN). */
export interface BodyKind {
  readonly maxBytes: number
  readonly tooLarge: string
}

/**
 * Every kind of body the apps accept. A limit is the largest file(s) of the
 * kind plus room for the form around them; it is enforced while the body is
 * read (Content-Length first, then counted), before anything parses it.
 */
export const BODY_KINDS = {
  /** Plain forms (log-in, settings, signing with a code, contract boxes as JSON, template fields). */
  form: { maxBytes: 128 * KB, tooLarge: "提交的内容过多（表单不超过 128 KB）" },
  /** Partner API JSON bodies. */
  json: { maxBytes: 256 * KB, tooLarge: "请求体过大（JSON 不超过 256 KB）" },
  /** A seal or signature image (5 MB; a drawn one comes as base64, a third larger). */
  image: { maxBytes: 8 * MB, tooLarge: "上传的图片过大：图片不能超过 5 MB" },
  /** An ID card, licence or letter photo (10 MB). */
  photo: { maxBytes: 12 * MB, tooLarge: "上传的文件过大：照片仅限jpeg、jpg、png格式且大小不超过10M" },
  /** Both sides of an ID card (正面 and 反面, 10 MB each). */
  idPhotos: { maxBytes: 22 * MB, tooLarge: "上传的文件过大：身份证正反面照片仅限jpeg、jpg、png格式且每张不超过10M" },
  /** The eight order materials, 10 MB each. */
  materials: { maxBytes: 82 * MB, tooLarge: "上传的文件过大：每份材料不超过 10 MB" },
  /** A contract PDF (50 MB). */
  contract: { maxBytes: 52 * MB, tooLarge: "上传的文件过大：合同文件不超过 50 MB" },
  /** An evidence bundle (5 MB) and the contract it is about (50 MB). */
  evidence: { maxBytes: 56 * MB, tooLarge: "上传的文件过大：证据包不超过 5 MB，合同文件不超过 50 MB" },
} as const satisfies Record<string, BodyKind>

/** Which routes take which kind of body (first match wins); every other route gets the fallback. */
export interface BodyRule {
  readonly path: RegExp
  readonly kind: BodyKind
}

/**
 * One middleware for a whole app, mounted before anything reads the body
 * (CSRF, sessions, routes): the request's path picks its kind, unknown paths
 * get `fallback` (a small form), and `refuse` answers in the app's own way.
 */
export const limitBodies = (rules: ReadonlyArray<BodyRule>, fallback: BodyKind, refuse: (c: Context, kind: BodyKind) => Response | Promise<Response>): MiddlewareHandler => {
  const limiters = new Map<BodyKind, MiddlewareHandler>()
  const limiterOf = (kind: BodyKind) => {
    let limiter = limiters.get(kind)
    if (limiter === undefined) {
      limiter = bodyLimit({ maxSize: kind.maxBytes, onError: (c) => refuse(c, kind) })
      limiters.set(kind, limiter)
    }
    return limiter
  }
  return (c, next) => limiterOf(rules.find((r) => r.path.test(c.req.path))?.kind ?? fallback)(c, next)
}

/** The HTML answer of the portal and the admin app. */
export const refuseHtml = (c: Context, kind: BodyKind) =>
  c.html(`<!doctype html><meta charset=utf-8><title>内容过大</title><p>${kind.tooLarge}。<a href="javascript:history.back()">返回</a></p>`, 413)
