import { Result, Schema, SchemaIssue } from "effect"

/** Field name -> message key of the first problem found with it. */
export type FieldErrors = Readonly<Record<string, string>>

export type FormResult<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly errors: FieldErrors }

/**
 * Decodes a parsed form or JSON body with a Schema. Every field problem is
 * reported (not just the first), keyed by field, as the message key the schema
 * carries ("mobile.invalid") or "required" for a missing field.
 */
export const decodeForm = <S extends Schema.Decoder<unknown>>(
  schema: S,
  body: unknown,
  /** The form field an issue at `path` is shown next to; nested schemas map their paths (default: the first key). */
  fieldOf: (path: ReadonlyArray<unknown>) => string = (path) => String(path[0] ?? "_form"),
): FormResult<S["Type"]> => {
  const r = Schema.decodeUnknownResult(schema)(body, { errors: "all", onExcessProperty: "ignore" })
  if (Result.isSuccess(r)) return { ok: true, value: r.success }
  const errors: Record<string, string> = {}
  for (const issue of SchemaIssue.makeFormatterStandardSchemaV1()(r.failure.issue).issues) {
    const field = fieldOf(issue.path ?? [])
    if (errors[field] !== undefined) continue
    errors[field] = issue.message === "Missing key" ? "required" : issue.message
  }
  return { ok: false, errors }
}

/** Form values come as strings; an empty optional text field means null. */
export const emptyToNull = (v: unknown): unknown => (typeof v === "string" && v.trim() === "" ? null : v)
