/**
 * Archive renewal (B-LTA): a file whose newest document timestamp's TSA
 * certificate expires within `window` gets a new DSS (the answers that
 * validate that timestamp while its certificate is still valid) and a new
 * document timestamp over everything, from a TSA whose certificate outlives
 * the old one. The decision is here; the daily job that runs it over
 * completed contracts and stores the result as a new document version with
 * its evidence event is core/contracts/renewArchives.ts (PadesProfile.renew).
 */
import { Clock, Duration, Effect } from "effect"
import * as pkijs from "pkijs"
import type { PadesConfig } from "../../ports/PadesProfile.ts"
import { openPdf } from "../pdf/document.ts"
import { PdfMalformed } from "../pdf/PdfErrors.ts"
import { derLength, parseSignedData } from "../verify/cmsCheck.ts"
import { archiveTimestamp } from "./padesLevel.ts"
import { fileSignatures } from "./validationData.ts"

/** When the newest document timestamp's TSA certificate expires (undefined: the file has no document timestamp). */
export const newestArchiveExpiry = (bytes: Uint8Array): Date | undefined => {
  const stamps = fileSignatures(openPdf(bytes)).filter((s) => s.docTimestamp)
  const newest = stamps[stamps.length - 1]
  if (!newest) return undefined
  const sd = parseSignedData(newest.contents.subarray(0, derLength(newest.contents)))
  const sid = sd?.signerInfos[0]?.sid
  const tsa = sid instanceof pkijs.IssuerAndSerialNumber
    ? (sd?.certificates ?? []).find((c): c is pkijs.Certificate => c instanceof pkijs.Certificate && c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber))
    : undefined
  return tsa?.notAfter.value
}

/** The renewed file, or undefined when the newest document timestamp stays valid beyond `window` from now. */
export const renewArchiveTimestamp = Effect.fn("renewArchiveTimestamp")(function*(bytes: Uint8Array, profile: PadesConfig, window: Duration.Input) {
  const now = yield* Clock.currentTimeMillis
  const expiry = yield* Effect.try({ try: () => newestArchiveExpiry(bytes), catch: (e) => (e instanceof PdfMalformed ? e : new PdfMalformed({ check: "structure", reason: String(e) })) })
  if (expiry === undefined || expiry.getTime() > now + Duration.toMillis(Duration.fromInputUnsafe(window))) return undefined
  return yield* archiveTimestamp(bytes, profile)
})
