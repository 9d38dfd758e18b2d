/**
 * A signature drawn on a pad (static/signature-pad.js) arrives as a PNG data URL in the form field `drawn`.
 * Decoded here, once, for 签名管理, 我的签名 and the sign page; the bytes are then checked and cleaned like any
 * uploaded image (magic bytes, pixel caps, in the worker pool).
 */
import { Option, Result, Schema } from "effect"
import { Base64 } from "effect/encoding"
import { IMAGE_LIMITS } from "../../../core/seals/image/sealImageUpload.ts"

/** A canvas drawing: a PNG data URL, at most the upload limit once decoded. */
export const DrawnPng = Schema.String.pipe(Schema.check(
  Schema.isMaxLength(Math.ceil((IMAGE_LIMITS.maxBytes * 4) / 3) + 32, { message: "drawn.invalid" }),
  Schema.isPattern(/^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/, { message: "drawn.invalid" }),
))

/** The form's drawing: none when the field is absent or empty, `invalid` when it is not a PNG data URL. */
export const drawnOf = (body: Record<string, unknown>): { readonly _tag: "none" } | { readonly _tag: "invalid" } | { readonly _tag: "drawn"; readonly bytes: Uint8Array } => {
  const text = body.drawn
  if (typeof text !== "string" || text === "") return { _tag: "none" }
  const bytes = Schema.decodeUnknownOption(DrawnPng)(text).pipe(Option.flatMap((s) => Result.getSuccess(Base64.decode(s.slice(s.indexOf(",") + 1)))))
  return Option.isNone(bytes) ? { _tag: "invalid" } : { _tag: "drawn", bytes: bytes.value }
}
