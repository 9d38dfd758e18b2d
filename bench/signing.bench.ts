/**
 * Signing cost against the floor (SHA-256 of the same bytes + one RSA-2048
 * signature) and against @signpdf/signpdf with its P12 signer. Every
 * measurement runs in its own child process so peak RSS (maxRSS) belongs to
 * that scenario alone.
 */
import { spawnSync } from "node:child_process"
import { createHash, generateKeyPairSync, sign as nodeSign, type KeyObject } from "node:crypto"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
// @ts-expect-error node-forge ships no types; it only builds the P12 for the @signpdf baseline
import forge from "node-forge"
import { PDFDocument } from "pdf-lib"
import { layer as cryptoLayer } from "../adapters/crypto-node/index.ts"
import { signerFromKey } from "../adapters/keys-software/index.ts"
import { signPdf } from "../core/signing/signPdf.ts"

const self = fileURLToPath(import.meta.url)
type Scenario = "ours" | "floor" | "signpdf" | "chain10"

/** A valid PDF of about `bytes` size: one page plus an unreferenced incompressible stream. */
const makePdf = async (bytes: number): Promise<Uint8Array> => {
  const doc = await PDFDocument.create()
  doc.addPage([595, 842]).drawText("benchmark", { x: 50, y: 780 })
  const filler = new Uint8Array(bytes)
  for (let i = 0; i < filler.length; i += 65536) filler.set(createHash("sha256").update(String(i)).digest(), i)
  doc.context.register(doc.context.stream(filler))
  return doc.save({ useObjectStreams: false })
}

/** A self-signed RSA-2048 identity (forge, for the P12 that @signpdf needs). */
const identity = () => {
  const keys = forge.pki.rsa.generateKeyPair(2048)
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = "01"
  cert.validity.notBefore = new Date(Date.now() - 60_000)
  cert.validity.notAfter = new Date(Date.now() + 86_400_000)
  const attrs = [{ name: "commonName", value: "Bench" }]
  cert.setSubject(attrs)
  cert.setIssuer(attrs)
  cert.sign(keys.privateKey, forge.md.sha256.create())
  const p12 = forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], "", { algorithm: "3des" })).getBytes()
  return {
    keyPem: forge.pki.privateKeyToPem(keys.privateKey),
    certDer: new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), "binary")),
    p12: Buffer.from(p12, "binary"),
  }
}

const time = async (f: () => Promise<unknown> | unknown): Promise<number> => {
  const t = performance.now()
  await f()
  return performance.now() - t
}

const runScenario = async (scenario: Scenario, file: string, idFile: string): Promise<Record<string, number>> => {
  const pdf = new Uint8Array(readFileSync(file))
  const id = JSON.parse(readFileSync(idFile, "utf8")) as { keyPem: string; certDer: string; p12: string }
  const { createPrivateKey } = await import("node:crypto")
  const key: KeyObject = createPrivateKey(id.keyPem)
  const signer = signerFromKey(key, new Uint8Array(Buffer.from(id.certDer, "base64")), [])
  const ours = (input: Uint8Array) => Effect.runPromise(signPdf(input, { reason: "bench" }, signer).pipe(Effect.provide(cryptoLayer)))
  const before = process.memoryUsage()
  const runs: Array<number> = []
  let extra: Record<string, number> = {}
  if (scenario === "ours") for (let i = 0; i < 3; i++) runs.push(await time(() => ours(pdf)))
  if (scenario === "floor") {
    for (let i = 0; i < 3; i++) runs.push(await time(() => {
      createHash("sha256").update(pdf).digest()
      nodeSign("sha256", new Uint8Array(200), key)
    }))
  }
  if (scenario === "signpdf") {
    const { SignPdf } = await import("@signpdf/signpdf")
    const signpdf = new SignPdf()
    const { P12Signer } = await import("@signpdf/signer-p12")
    const { plainAddPlaceholder } = await import("@signpdf/placeholder-plain")
    const p12Bytes = Buffer.from(id.p12, "base64")
    for (let i = 0; i < 3; i++) runs.push(await time(async () => {
      const withPlaceholder = plainAddPlaceholder({ pdfBuffer: Buffer.from(pdf), reason: "bench", contactInfo: "", name: "bench", location: "" })
      // A P12Signer consumes its buffer on first use, so one per signature.
      await signpdf.sign(withPlaceholder, new P12Signer(p12Bytes))
    }))
  }
  if (scenario === "chain10") {
    let doc = pdf
    const each: Array<number> = []
    for (let i = 0; i < 10; i++) {
      let out: Awaited<ReturnType<typeof ours>> | undefined
      each.push(await time(async () => { out = await ours(doc) }))
      doc = new Uint8Array(Buffer.concat(out?.parts ?? []))
    }
    runs.push(each[0] ?? 0)
    extra = { first: each[0] ?? 0, tenth: each[9] ?? 0, firstTwoAvg: ((each[0] ?? 0) + (each[1] ?? 0)) / 2, lastTwoAvg: ((each[8] ?? 0) + (each[9] ?? 0)) / 2 }
  }
  const after = process.memoryUsage()
  return {
    ms: Math.min(...runs),
    medianMs: [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)] ?? 0,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    rssBeforeMb: before.rss / 2 ** 20,
    arrayBuffersDeltaMb: (after.arrayBuffers - before.arrayBuffers) / 2 ** 20,
    ...extra,
  }
}

const child = (scenario: Scenario, file: string, idFile: string): Record<string, number> => {
  const r = spawnSync(process.execPath, [self, "--scenario", scenario, file, idFile], { encoding: "utf8", maxBuffer: 1 << 20 })
  const line = r.stdout.trim().split("\n").pop() ?? ""
  if (r.status !== 0 || !line.startsWith("{")) throw new Error(`${scenario} failed: ${r.stderr.slice(-2000)}`)
  return JSON.parse(line) as Record<string, number>
}

export default async function (): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "signet-bench-"))
  const id = identity()
  const idFile = join(dir, "id.json")
  writeFileSync(idFile, JSON.stringify({ keyPem: id.keyPem, certDer: Buffer.from(id.certDer).toString("base64"), p12: id.p12.toString("base64") }))
  const rows: Array<string> = []
  let chain = ""
  for (const mb of [1, 50]) {
    const file = join(dir, `${mb}mb.pdf`)
    const pdf = await makePdf(mb * 2 ** 20)
    writeFileSync(file, pdf)
    const sizeMb = pdf.length / 2 ** 20
    const ours = child("ours", file, idFile)
    const floor = child("floor", file, idFile)
    const signpdf = child("signpdf", file, idFile)
    const f = (n: number | undefined) => (n ?? 0).toFixed(1)
    rows.push(
      `| ${f(sizeMb)} MB | ${f(ours.ms)} ms | ${f(floor.ms)} ms | ${f(signpdf.ms)} ms | ${((ours.ms ?? 0) / (floor.ms ?? 1)).toFixed(2)}x | ${((signpdf.ms ?? 0) / (ours.ms ?? 1)).toFixed(1)}x | ${f(ours.maxRssMb)} MB (before: ${f(ours.rssBeforeMb)}) | ${f(floor.maxRssMb)} MB | ${f(signpdf.maxRssMb)} MB |`,
    )
    if (mb === 1) {
      const c = child("chain10", file, idFile)
      chain = `10 signatures in a row on the ${f(sizeMb)} MB file: 1st ${f(c.first)} ms, 10th ${f(c.tenth)} ms (ratio ${((c.tenth ?? 0) / (c.first ?? 1)).toFixed(2)}; mean of signatures 1-2: ${f(c.firstTwoAvg)} ms, 9-10: ${f(c.lastTwoAvg)} ms; the 1st includes JIT warm-up).`
    }
  }
  return [
    "## Signing (PAdES, software RSA-2048)",
    "",
    "Best of 3 runs, each scenario in its own process; peak = process maxRSS (includes Node + module baseline, shown as 'before').",
    "Floor = SHA-256 of the same bytes + one RSA-2048 signature (node:crypto). @signpdf = plainAddPlaceholder + signpdf.sign with P12Signer.",
    "",
    "| file | Signet | floor | @signpdf | Signet / floor | @signpdf / Signet | Signet peak RSS | floor peak RSS | @signpdf peak RSS |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    chain,
    "",
  ].join("\n")
}

if (process.argv[2] === "--scenario") {
  const [, , , scenario, file, idFile] = process.argv
  console.log(JSON.stringify(await runScenario(scenario as Scenario, file as string, idFile as string)))
}
