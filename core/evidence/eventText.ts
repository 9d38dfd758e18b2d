/**
 * The canonical text of an event body written field by field. An event body
 * has a fixed shape, so the RFC 8785 member order is known in advance: this
 * gives exactly what `canonicalize(body)` gives (a property test holds them
 * equal) without sorting keys or walking types per event, a measurable part
 * of recording an event. Anything outside the usual shape (a number that is
 * not a safe integer) goes through the general writer.
 */
import { Result } from "effect"
import { canonicalize, quote } from "./canonicalJson.ts"
import type { NotCanonicalJson } from "./EvidenceErrors.ts"
import type { EventBody } from "./Event.ts"

/** Members sorted by UTF-16 code units: at, commit, data, doc, prev, role, seq, subject, type, v. */
export const eventBodyText = (body: EventBody): Result.Result<string, NotCanonicalJson> => {
  if (!Number.isSafeInteger(body.at) || !Number.isSafeInteger(body.seq)) return canonicalize(body)
  let data = "{}"
  for (const _ in body.data) {
    const general = canonicalize(body.data)
    if (Result.isFailure(general)) return general
    data = general.success
    break
  }
  const { actor, ip, ua } = body.commit
  let commit = ""
  if (actor !== undefined) commit = `"actor":${quote(actor)}`
  if (ip !== undefined) commit += `${commit === "" ? "" : ","}"ip":${quote(ip)}`
  if (ua !== undefined) commit += `${commit === "" ? "" : ","}"ua":${quote(ua)}`
  const doc = body.doc === undefined
    ? ""
    : `"doc":{"sha256":${quote(body.doc.sha256)}${body.doc.sm3 === undefined ? "" : `,"sm3":${quote(body.doc.sm3)}`}},`
  return Result.succeed(
    `{"at":${body.at},"commit":{${commit}},"data":${data},${doc}"prev":${body.prev === null ? "null" : quote(body.prev)},` +
      `"role":${quote(body.role)},"seq":${body.seq},"subject":${quote(body.subject)},"type":${quote(body.type)},"v":${body.v}}`,
  )
}
