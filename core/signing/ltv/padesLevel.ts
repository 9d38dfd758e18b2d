/**
 * Brings a freshly signed file to the deployment's PAdES level: nothing more
 * for B-B/B-T; for B-LT a DSS update with what validates every signature in
 * the file; for B-LTA also a document timestamp over it all. Archive renewal
 * (renewArchiveTimestamp) runs the B-LTA step again before the newest
 * document timestamp's certificate expires.
 */
import { Effect } from "effect"
import type { PadesConfig, PadesLevel, PadesProfileShape } from "../../ports/PadesProfile.ts"
import { WebCrypto } from "../../ports/WebCrypto.ts"
import { RevocationUnavailable, type RevocationData } from "../../ports/RevocationFetcher.ts"
import { TimestampFailed } from "../../ports/Tsa.ts"
import { concat } from "../pdf/bytes.ts"
import { openPdf } from "../pdf/document.ts"
import { PdfMalformed } from "../pdf/PdfErrors.ts"
import { addDocumentTimestamp } from "./documentTimestamp.ts"
import { addDss } from "./dss.ts"
import { collectValidationData } from "./validationData.ts"
import { renewArchiveTimestamp } from "./renewal.ts"

/** Levels that keep validation data in the file. */
export const isLongTerm = (level: PadesLevel): boolean => level === "B-LT" || level === "B-LTA"

const open = (bytes: Uint8Array) =>
  Effect.try({ try: () => openPdf(bytes), catch: (e) => (e instanceof PdfMalformed ? e : new PdfMalformed({ check: "structure", reason: String(e) })) })

/** Appends a DSS update with the validation data of every signature and document timestamp of `bytes`. */
export const addValidationData = Effect.fn("addValidationData")(function*(
  bytes: Uint8Array,
  profile: PadesConfig,
  answers: Map<string, RevocationData> = new Map(),
) {
  if (!profile.revocation) return yield* new RevocationUnavailable({ reason: `level ${profile.level} needs the CA's revocation services` })
  const entries = yield* collectValidationData(yield* open(bytes), profile.trustRoots, profile.revocation, answers)
  if (entries.length === 0) return bytes
  const update = yield* Effect.try({
    try: () => addDss(openPdf(bytes), { entries, idSeed: new Uint8Array(16) }),
    catch: (e) => (e instanceof PdfMalformed ? e : new PdfMalformed({ check: "structure", reason: String(e) })),
  })
  return concat([bytes, update])
})

/**
 * DSS, document timestamp, then a DSS with the new timestamp's own
 * validation data (so the file alone validates it once the TSA's services are
 * gone): B-LTA, or its renewal. Answers are fetched once for both updates.
 */
export const archiveTimestamp = Effect.fn("archiveTimestamp")(function*(bytes: Uint8Array, profile: PadesConfig) {
  if (!profile.tsa) return yield* new TimestampFailed({ reason: `level ${profile.level} needs a time-stamping authority` })
  const answers = new Map<string, RevocationData>()
  const withDss = yield* addValidationData(bytes, profile, answers)
  const stamped = (yield* addDocumentTimestamp(withDss, profile.tsa)).bytes
  return yield* addValidationData(stamped, profile, answers)
})

export const extendToLevel = Effect.fn("extendToLevel")(function*(bytes: Uint8Array, profile: PadesConfig) {
  switch (profile.level) {
    case "B-B":
    case "B-T":
      return bytes
    case "B-LT":
      return yield* addValidationData(bytes, profile)
    case "B-LTA":
      return yield* archiveTimestamp(bytes, profile)
  }
})

/** The PadesProfile service of a deployment: its level, with the WebCrypto the B-LT steps verify chains with. */
export const padesProfile = (config: PadesConfig, webCrypto: WebCrypto["Service"]): PadesProfileShape => ({
  level: config.level,
  tsa: config.level === "B-B" ? undefined : config.tsa,
  extend: (signed) => extendToLevel(signed, config).pipe(Effect.provideService(WebCrypto, webCrypto)),
  renew: (bytes, window) => renewArchiveTimestamp(bytes, config, window).pipe(Effect.provideService(WebCrypto, webCrypto)),
})
