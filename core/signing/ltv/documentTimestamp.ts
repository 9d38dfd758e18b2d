/**
 * PAdES B-LTA document timestamp: an invisible signature field whose
 * /Contents is an RFC 3161 token over the whole file up to its own gap
 * (/Type /DocTimeStamp, /SubFilter /ETSI.RFC3161), appended as one update.
 */
import { Clock, Effect } from "effect"
import { Crypto } from "../../ports/Crypto.ts"
import type { TsaShape } from "../../ports/Tsa.ts"
import { concat } from "../pdf/bytes.ts"
import { formFields, openPdf } from "../pdf/document.ts"
import { prepareSignature, signedParts } from "../pdf/prepareSignature.ts"
import { fillContents } from "../pdf/sigDictionary.ts"

/** Room for a token with its TSA chain (an RSA-2048 TSA and its root come to about 4 KB). */
export const DOC_TIMESTAMP_CONTENTS = 12288

export const addDocumentTimestamp = Effect.fn("addDocumentTimestamp")(function*(pdf: Uint8Array, tsa: TsaShape, fieldName?: string) {
  const crypto = yield* Crypto
  const now = yield* Clock.currentTimeMillis
  const taken = new Set(yield* Effect.try({ try: () => formFields(openPdf(pdf)).map((f) => f.fullName), catch: () => [] as Array<string> }).pipe(Effect.orElseSucceed(() => [])))
  let n = 1
  while (taken.has(`DocTimeStamp${n}`)) n++
  const prepared = yield* prepareSignature(pdf, {
    fieldName: fieldName ?? `DocTimeStamp${n}`,
    docTimestamp: true,
    signingTime: new Date(now),
    contentsSize: DOC_TIMESTAMP_CONTENTS,
    idSeed: yield* crypto.randomBytes(16),
  })
  const token = yield* tsa.timestamp(crypto.sha256(...signedParts(prepared)))
  const tooSmall = fillContents(prepared.update, prepared.placeholders, token)
  if (tooSmall) return yield* tooSmall
  return { bytes: concat([prepared.original, prepared.update]), fieldName: prepared.fieldName }
})
