import { spawn } from "node:child_process"
import { Effect, Layer, Semaphore } from "effect"
import { Ocr, OcrFailed, type OcrField } from "../../core/ports/Ocr.ts"
import { creditCodeProblem } from "../../core/kernel/CreditCode.ts"
import { residentIdProblem } from "../../core/verification/ResidentIdNumber.ts"
import { sniff } from "../../core/verification/fileSniff.ts"

export interface TesseractConfig {
  readonly command: string
  readonly timeoutMs: number
  /** Recognitions running at once in this process (each takes ~100-500 MB); default 2. */
  readonly maxConcurrent?: number | undefined
  /** Recognitions waiting for a turn; one more is refused (the form is then filled in by hand); default 8. */
  readonly maxWaiting?: number | undefined
  /** Larger images (width x height from the file's header) are not read at all; default 12 megapixels. */
  readonly maxPixels?: number | undefined
}

/** A 12-megapixel phone photo is read; a 7000x7000 one (6.5 s, 490 MB of tesseract) is not. */
export const OCR_MAX_PIXELS = 12_500_000

/** One recognised line: its words and their confidences (0-1). */
export interface OcrLine {
  readonly words: ReadonlyArray<{ readonly text: string; readonly confidence: number }>
}

/** Runs `tesseract stdin stdout tsv` (Simplified Chinese + English, one block of text) on an image. */
const recognise = (config: TesseractConfig, image: Uint8Array) =>
  Effect.callback<string, OcrFailed>((resume, signal) => {
    const child = spawn(config.command, ["stdin", "stdout", "-l", "chi_sim+eng", "--psm", "6", "tsv"], { stdio: ["pipe", "pipe", "pipe"], signal })
    const out: Array<Buffer> = []
    const timer = setTimeout(() => child.kill("SIGKILL"), config.timeoutMs)
    child.stdout.on("data", (d: Buffer) => out.push(d))
    child.on("error", (e) => { clearTimeout(timer); resume(Effect.fail(new OcrFailed({ detail: e.message }))) })
    child.on("close", (code, sig) => {
      clearTimeout(timer)
      if (code === 0) resume(Effect.succeed(Buffer.concat(out).toString("utf8")))
      else resume(Effect.fail(new OcrFailed({ detail: sig === "SIGKILL" ? `timeout after ${config.timeoutMs} ms` : `tesseract exit ${code}` })))
    })
    child.stdin.on("error", () => {})
    child.stdin.end(image)
  })

/** Tesseract's TSV: word rows (level 5) grouped into lines. */
export const parseTsv = (tsv: string): ReadonlyArray<OcrLine> => {
  const lines = new Map<string, Array<{ text: string; confidence: number }>>()
  for (const row of tsv.split("\n").slice(1)) {
    const cols = row.split("\t")
    if (cols[0] !== "5" || cols.length < 12) continue
    const text = (cols[11] ?? "").trim()
    if (text === "") continue
    const key = `${cols[2]}/${cols[3]}/${cols[4]}`
    const words = lines.get(key) ?? []
    words.push({ text, confidence: Math.max(0, Number(cols[10])) / 100 })
    lines.set(key, words)
  }
  return [...lines.values()].map((words) => ({ words }))
}

const joined = (l: OcrLine) => l.words.map((w) => w.text).join("")
const minConfidence = (l: OcrLine) => Math.min(...l.words.map((w) => w.confidence))

/** The text after a label on the line carrying it ("姓名 王小明" -> 王小明). */
const afterLabel = (lines: ReadonlyArray<OcrLine>, label: RegExp): OcrField | null => {
  for (const l of lines) {
    const text = joined(l)
    const m = text.match(label)
    if (m === null || m.index === undefined) continue
    const value = text.slice(m.index + m[0].length).replace(/^[:：\s]+/, "")
    if (value !== "") return { value, confidence: minConfidence(l) }
  }
  return null
}

/**
 * A number matching `pattern` anywhere in the text. One that passes its check
 * character is trusted at 0.9 at least: a misread that still satisfies MOD 11
 * or MOD 31 is a 1-in-11 / 1-in-31 accident, and tesseract rates long mixed
 * strings low even when they are right. One that fails it gets half the
 * engine's confidence (the user will see it and correct it).
 */
const checkedNumber = (lines: ReadonlyArray<OcrLine>, pattern: RegExp, problem: (s: string) => string | null): OcrField | null => {
  let fallback: OcrField | null = null
  for (const l of lines) {
    for (const m of joined(l).toUpperCase().matchAll(pattern)) {
      if (problem(m[0]) === null) return { value: m[0], confidence: Math.max(0.9, minConfidence(l)) }
      fallback ??= { value: m[0], confidence: minConfidence(l) / 2 }
    }
  }
  return fallback
}

export const idCardFields = (lines: ReadonlyArray<OcrLine>) => ({
  name: afterLabel(lines, /姓\s*名/),
  idNumber: checkedNumber(lines, /\d{17}[\dX]/g, residentIdProblem),
})

export const licenceFields = (lines: ReadonlyArray<OcrLine>) => ({
  name: afterLabel(lines, /(?<!人)名\s*称/),
  creditCode: checkedNumber(lines, /[0-9A-HJ-NP-RTUW-Y]{18}/g, creditCodeProblem),
})

/**
 * Ocr with Debian's tesseract (`tesseract-ocr`, `tesseract-ocr-chi-sim`). About
 * 2 s per photo on a small machine, most of it loading the Chinese model.
 * Bounded: the image's pixel count is read from its header before anything
 * starts, at most `maxConcurrent` run at once and `maxWaiting` wait; past
 * that the answer is OcrFailed and the user types the fields.
 */
export const layer = (config: TesseractConfig = { command: "tesseract", timeoutMs: 20_000 }) =>
  Layer.effect(Ocr, Effect.gen(function*() {
    const turns = yield* Semaphore.make(config.maxConcurrent ?? 2)
    const maxWaiting = config.maxWaiting ?? 8
    const maxPixels = config.maxPixels ?? OCR_MAX_PIXELS
    let waiting = 0
    const bounded = (image: Uint8Array): Effect.Effect<string, OcrFailed> =>
      Effect.suspend(() => {
        const found = sniff(image)
        if (found === null || found.width === null || found.height === null) return Effect.fail(new OcrFailed({ detail: "not an image with a readable size" }))
        if (found.width * found.height > maxPixels) return Effect.fail(new OcrFailed({ detail: `${found.width}x${found.height} is over ${maxPixels} pixels` }))
        if (waiting >= maxWaiting) return Effect.fail(new OcrFailed({ detail: "busy" }))
        waiting++
        let counted = true
        const leave = () => {
          if (counted) waiting--
          counted = false
        }
        return turns.withPermits(1)(Effect.suspend(() => {
          leave()
          return recognise(config, image)
        })).pipe(Effect.ensuring(Effect.sync(leave)))
      })
    return {
      readIdCard: (image) => Effect.map(bounded(image), (tsv) => idCardFields(parseTsv(tsv))),
      readLicence: (image) => Effect.map(bounded(image), (tsv) => licenceFields(parseTsv(tsv))),
    }
  }))
