/**
 * The work done on bytes a user uploaded: parsing, checking and decoding
 * that a hostile file can make slow or large. Each task is a pure function
 * from plain data to plain data (structured-clone safe, errors as values), so
 * the same code runs in the request's fiber (tests, CLI) or in a worker
 * process of a bounded pool (the apps, `adapters/worker-pool`), chosen by the
 * `UntrustedWork` port.
 */
import { Effect } from "effect"
import { PDFDocument } from "pdf-lib"
import { openPdf, pageRefs } from "../signing/pdf/document.ts"
import { verifyPdf, type VerifyReport } from "../signing/verify/verifyPdf.ts"
import { cleanUploadedImage } from "../seals/image/sealImageUpload.ts"
import type { SealImageRejected } from "../seals/sealsErrors.ts"
import { verifyBundle, type Check } from "../evidence/verifyBundle.ts"

/** A page's visible area (its CropBox) in PDF points. */
export interface PageArea {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/** What a task answers when the input itself is refused: a zh-CN reason fit to show. */
export interface Refused {
  readonly ok: false
  readonly reason: string
}

/** Why a PDF could not be read, in words for the user (never the parser's English). */
export const pdfProblem = (e: unknown): string => {
  const tag = (e as { _tag?: unknown } | null)?._tag
  // The PDF errors carry their own zh-CN sentence (a cap exceeded, a broken cross-reference, ...).
  const zh = (e as { messageZh?: unknown } | null)?.messageZh
  if (typeof zh === "string" && zh !== "") return zh
  if (tag === "PdfEncrypted") return "文件已加密，请上传未加密的 PDF"
  if (tag === "PdfMalformed") return "文件结构损坏或不是有效的 PDF"
  return "文件结构过于复杂或已损坏，无法处理"
}

const pdfPages = (pdf: Uint8Array): Effect.Effect<{ readonly ok: true; readonly pages: ReadonlyArray<PageArea> } | Refused> =>
  Effect.tryPromise(async () => {
    // The signing engine's own parser first: a document it cannot append to cannot be signed.
    if (pageRefs(openPdf(pdf)).length === 0) throw new Error("no pages")
    const doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false })
    return doc.getPages().map((p) => p.getCropBox())
  }).pipe(
    Effect.map((pages) => pages.length === 0 ? { ok: false as const, reason: "文件没有页面" } : { ok: true as const, pages: pages.map(({ x, y, width, height }) => ({ x, y, width, height })) }),
    Effect.catch((e) => Effect.succeed({ ok: false as const, reason: pdfProblem((e as { error?: unknown }).error ?? e) })),
  )

const pdfVerify = (input: { readonly pdf: Uint8Array; readonly trust: ReadonlyArray<Uint8Array> }) =>
  verifyPdf(input.pdf, { trust: input.trust }).pipe(
    Effect.map((report): { readonly ok: true; readonly report: VerifyReport } | Refused => ({ ok: true, report })),
    Effect.catch((e) => Effect.succeed({ ok: false as const, reason: pdfProblem(e) })),
  )

const imageClean = (input: { readonly bytes: Uint8Array; readonly maxSide: number }) =>
  cleanUploadedImage(input.bytes, input.maxSide).pipe(
    Effect.map((image) => ({ ok: true as const, ...image })),
    Effect.catch((e: SealImageRejected) => Effect.succeed({ ok: false as const, rejected: e.reason, detail: e.detail })),
  )

const evidenceVerify = (input: { readonly bundleText: string; readonly document: Uint8Array | undefined }) =>
  Effect.try(() => JSON.parse(input.bundleText) as unknown).pipe(
    Effect.matchEffect({
      onFailure: () => Effect.succeed<{ readonly ok: true; readonly checks: ReadonlyArray<Check> } | Refused>({ ok: false, reason: "证据包不是有效的 JSON 文件" }),
      onSuccess: (bundle) => Effect.map(verifyBundle(bundle, { document: input.document }), (checks) => ({ ok: true as const, checks })),
    }),
  )

/** Every task by name. Services a task may use are the pure ones both sides provide. */
export const tasks = {
  /** C1: the pages of an uploaded contract, read by the signing engine's parser and pdf-lib. */
  "pdf.pages": pdfPages,
  /** M3: every signature of an uploaded PDF checked against the given roots. */
  "pdf.verify": pdfVerify,
  /** E5/E6: an uploaded seal or signature image decoded, made transparent, trimmed, scaled. */
  "image.clean": imageClean,
  /** B3: an evidence bundle (its JSON text, and its document) checked. */
  "evidence.verify": evidenceVerify,
} as const

export type Tasks = typeof tasks
export type TaskName = keyof Tasks
export type TaskInput<K extends TaskName> = Parameters<Tasks[K]>[0]
export type TaskOutput<K extends TaskName> = Effect.Success<ReturnType<Tasks[K]>>
/** What a task asks for (pure services both the request side and a worker provide: `Crypto`, `WebCrypto`). */
export type TaskServices<K extends TaskName> = Effect.Services<ReturnType<Tasks[K]>>

/** Runs a task in this fiber (no isolation: the in-process default of `UntrustedWork`). */
export const runTaskHere = <K extends TaskName>(task: K, input: TaskInput<K>): Effect.Effect<TaskOutput<K>, never, TaskServices<K>> =>
  Effect.suspend(() => (tasks[task] as (i: TaskInput<K>) => Effect.Effect<TaskOutput<K>, never, TaskServices<K>>)(input))
