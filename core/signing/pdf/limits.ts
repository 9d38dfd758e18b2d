/**
 * Resource bounds for reading an untrusted PDF, and the meter that counts the
 * work one file costs. Every document opened with a meter charges its decoded
 * stream bytes and parsed objects to it, whoever resolves the objects (the
 * signer, the verifier, the change analysis); the verifier shares one meter
 * across all the revisions it opens, so the caps hold per file.
 */
import type { PDFContext } from "pdf-lib"
import { PdfLimitExceeded } from "./PdfErrors.ts"

export interface PdfLimits {
  /** Stream bytes one file may decode in total (all filters of all streams). */
  readonly maxDecodedBytes: number
  /** Nesting of arrays and dictionaries inside one object. */
  readonly maxDepth: number
}

export const defaultPdfLimits: PdfLimits = { maxDecodedBytes: 64 * 1024 * 1024, maxDepth: 256 }

/** Object numbers (and generation-free counts derived from them) stay below 2^31, as PDF readers' int32 tables require. */
export const MAX_OBJECT_NUMBER = 2 ** 31 - 1

export interface WorkMeter {
  readonly limits: PdfLimits
  /** Bytes produced by stream filters so far. */
  decodedBytes: number
  /** Objects parsed so far (each indirect object, each object of an object stream, each trailer). */
  objectsParsed: number
  /** Bytes fed to digests for signed ranges (the verifier's hashing). */
  bytesHashed: number
}

export const workMeter = (limits: Partial<PdfLimits> = {}): WorkMeter => ({
  limits: { ...defaultPdfLimits, ...limits },
  decodedBytes: 0,
  objectsParsed: 0,
  bytesHashed: 0,
})

/** Charges `n` decoded bytes; fails once the file's total passes its cap. */
export const chargeDecoded = (meter: WorkMeter, n: number): void => {
  meter.decodedBytes += n
  if (meter.decodedBytes > meter.limits.maxDecodedBytes) {
    throw new PdfLimitExceeded({ limit: "decoded bytes", value: meter.decodedBytes, max: meter.limits.maxDecodedBytes })
  }
}

const meters = new WeakMap<PDFContext, WorkMeter>()

/** Ties a document's pdf-lib context to its meter (see openPdf). */
export const attachMeter = (context: PDFContext, meter: WorkMeter): void => {
  meters.set(context, meter)
}

/** The meter of the document `context` belongs to; a context nobody attached gets its own default-capped meter. */
export const meterOf = (context: PDFContext): WorkMeter => {
  let meter = meters.get(context)
  if (!meter) {
    meter = workMeter()
    meters.set(context, meter)
  }
  return meter
}
