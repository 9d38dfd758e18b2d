/**
 * `signet pdf sign --in IN --out OUT (--key K.pem --cert C.pem [--chain CH.pem] | --pkcs11-module SO --token LABEL
 *   --key-label L --pin PIN --cert C.pem [--chain CH.pem]) [--field NAME] [--reason R] [--location L]
 *   [--page N --rect x,y,w,h --image seal.png] [--cross-page-seal seal.png] [--certify] [--tsa URL] [--pss]`
 * `signet pdf verify FILE [--trust ROOT.pem ...] [--json] [--allow-modified] [--revocation] [--crl F ...] [--ocsp F ...]
 *   [--online] [--at DATE]`: exit 0 only if every signature is valid and trusted and nothing but signatures (or what
 *   a certification allows) was added after them; `--allow-modified` also accepts valid signatures on a document
 *   modified after signing (the changes are listed). With `--revocation` (implied by --crl, --ocsp, --online, --at)
 *   every certificate's revocation status at the signing time is checked, from the file's DSS, the given CRL/OCSP
 *   files, and with `--online` the CA's services; a status nobody answers is "cannot be confirmed" (exit 1).
 *   `--at` verifies as of another date (would the file still verify in 2040?).
 */
import { readFileSync, renameSync, rmSync, writeFileSync, appendFileSync } from "node:fs"
import { parseArgs } from "node:util"
import { Clock, Effect, Layer } from "effect"
import * as pkijs from "pkijs"
import { layer as cryptoLayer } from "../../../adapters/crypto-node/index.ts"
import { pemBlocks, signerFromPemFiles, webCryptoLayer } from "../../../adapters/keys-software/index.ts"
import { makeHttpTsa } from "../../../adapters/tsa/index.ts"
import type { Signer } from "../../../core/ports/Signer.ts"
import { makeRevocationFetcher } from "../../../adapters/ca/revocationFetcher.ts"
import { fixedClock } from "../../../core/kernel/time.ts"
import { PADES_LEVELS, type PadesLevel } from "../../../core/ports/PadesProfile.ts"
import { extendToLevel } from "../../../core/signing/ltv/padesLevel.ts"
import { signPdf, type SignPdfOptions } from "../../../core/signing/signPdf.ts"
import { verifyPdf, type VerifyReport } from "../../../core/signing/verify/verifyPdf.ts"

const layers = Layer.mergeAll(cryptoLayer, webCryptoLayer)

const SIGN_USAGE = `signet pdf sign --in IN.pdf --out OUT.pdf --cert C.pem (--key K.pem | --pkcs11-module SO --token LABEL --key-label L --pin PIN)
  [--chain CH.pem] [--field NAME] [--reason R] [--location L] [--page N --rect x,y,w,h --image seal.png]
  [--cross-page-seal seal.png] [--certify] [--tsa URL] [--pss] [--contents-size BYTES] [--level B-B|B-T|B-LT|B-LTA]`
const VERIFY_USAGE = `signet pdf verify FILE.pdf [--trust ROOT.pem ...] [--json] [--allow-modified]
  [--revocation] [--crl FILE.crl ...] [--ocsp FILE.der ...] [--online] [--at 2040-01-01]`

/** A typed failure as the user reads it: zh-CN first, then English; never a stack trace. */
const failureText = (e: unknown): string => {
  const err = e as { readonly _tag?: string; readonly message?: string; readonly messageZh?: string; readonly code?: string }
  if (err.messageZh) return `${err.messageZh} (${err.message})`
  return err._tag ? `${err._tag}: ${err.message ?? ""}` : (err.message ?? String(e))
}

const rect = (text: string) => {
  const [x, y, width, height] = text.split(",").map(Number)
  if ([x, y, width, height].some((v) => v === undefined || !Number.isFinite(v))) throw new Error(`--rect wants x,y,w,h, got ${text}`)
  return { x: x as number, y: y as number, width: width as number, height: height as number }
}

const pkcs11Signer = async (v: Record<string, string | boolean | undefined>): Promise<Signer & { readonly close: () => void }> => {
  const { openPkcs11Signer } = await import("../../../adapters/pkcs11/index.ts")
  const [cert] = pemBlocks(readFileSync(String(v.cert), "utf8"), "CERTIFICATE")
  if (!cert) throw new Error("--cert has no certificate")
  const chain = v.chain ? pemBlocks(readFileSync(String(v.chain), "utf8"), "CERTIFICATE") : []
  return openPkcs11Signer({
    module: String(v["pkcs11-module"]), token: String(v.token), keyLabel: String(v["key-label"]), pin: String(v.pin),
    certificate: cert, chain,
  })
}

const sign = async (args: ReadonlyArray<string>): Promise<number> => {
  const { values: v } = parseArgs({
    args: [...args],
    options: {
      in: { type: "string" }, out: { type: "string" }, key: { type: "string" }, cert: { type: "string" }, chain: { type: "string" },
      field: { type: "string" }, reason: { type: "string" }, location: { type: "string" }, page: { type: "string" }, rect: { type: "string" },
      image: { type: "string" }, "cross-page-seal": { type: "string" }, certify: { type: "boolean" }, tsa: { type: "string" }, pss: { type: "boolean" },
      "pkcs11-module": { type: "string" }, token: { type: "string" }, "key-label": { type: "string" }, pin: { type: "string" },
      "contents-size": { type: "string" }, level: { type: "string" },
    },
    strict: true,
  })
  const level = (v.level ?? (v.tsa ? "B-T" : "B-B")) as PadesLevel
  if (!PADES_LEVELS.includes(level)) {
    console.error(`signet pdf sign: --level must be one of ${PADES_LEVELS.join(", ")}`)
    return 2
  }
  if (level !== "B-B" && !v.tsa) {
    console.error(`signet pdf sign: --level ${level} needs --tsa URL`)
    return 2
  }
  if (!v.in || !v.out || !v.cert || (!v.key && !v["pkcs11-module"])) {
    console.error("signet pdf sign: --in, --out, --cert and --key (or --pkcs11-module ...) are required")
    return 2
  }
  const signer: Signer & { readonly close?: () => void } = v["pkcs11-module"]
    ? await pkcs11Signer(v)
    : signerFromPemFiles({ key: v.key as string, cert: v.cert, chain: v.chain, pss: v.pss })
  const options: SignPdfOptions = {
    fieldName: v.field, reason: v.reason, location: v.location, certify: v.certify,
    contentsSize: v["contents-size"] ? Number(v["contents-size"]) : undefined,
    visible: v.image ? { page: Number(v.page ?? "1"), rect: rect(v.rect ?? "400,60,120,120"), image: new Uint8Array(readFileSync(v.image)) } : undefined,
    crossPageSeal: v["cross-page-seal"] ? { image: new Uint8Array(readFileSync(v["cross-page-seal"])), width: 100, height: 100, y: 360 } : undefined,
  }
  const input = new Uint8Array(readFileSync(v.in))
  const tsa = v.tsa ? makeHttpTsa(v.tsa) : undefined
  // The chain's self-signed certificates are the roots the DSS chains end at (every certificate below gets its answer).
  const trustRoots = signer.chain.filter((d) => {
    const c = pkijs.Certificate.fromBER(new Uint8Array(d))
    return c.subject.isEqual(c.issuer)
  })
  const result = await Effect.runPromise(
    Effect.result(
      signPdf(input, options, signer, tsa).pipe(
        // B-LT/B-LTA: the validation data comes from the services the certificates name; the chain given is the trust.
        Effect.flatMap((signed) =>
          level === "B-LT" || level === "B-LTA"
            ? Effect.map(extendToLevel(concatBytes(signed.parts), { level, tsa, revocation: makeRevocationFetcher(), trustRoots }), (bytes) => ({ ...signed, parts: [bytes, new Uint8Array()] as const }))
            : Effect.succeed(signed)
        ),
        Effect.provide(layers),
      ),
    ),
  ).finally(() => {
    signer.close?.() // ends the token session
  })
  if (result._tag === "Failure") {
    console.error(`signet pdf sign: ${failureText(result.failure)}`)
    return 1
  }
  // Written to a temporary file and renamed, so a failure never leaves a corrupt output.
  const tmp = `${v.out}.tmp-${process.pid}`
  try {
    writeFileSync(tmp, result.success.parts[0])
    appendFileSync(tmp, result.success.parts[1])
    renameSync(tmp, v.out)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
  console.log(`${v.out}: signed field ${result.success.fieldName} (CMS ${result.success.cmsSize} bytes, PAdES ${level})`)
  return 0
}

const concatBytes = (parts: readonly [Uint8Array, Uint8Array]) => new Uint8Array(Buffer.concat(parts))

const human = (file: string, r: VerifyReport): string => {
  const v = verdictText[r.verdict]
  const lines = [`${file}: ${r.signatures.length} signature(s), ${r.revisions.length} revision(s) — ${v.zh} / ${v.en}`]
  r.signatures.forEach((s, i) => {
    lines.push(
      `#${i + 1} ${s.field}${s.alsoIn.length > 0 ? ` (also field(s) ${s.alsoIn.join(", ")}: one signature)` : ""} — ${s.signatureValid ? "signature valid" : s.unsupportedAlgorithm ? `无法验证：不支持的算法 ${s.unsupportedAlgorithm} (cannot verify: unsupported algorithm)` : "signature INVALID"}`,
      `  signer: ${s.signer ?? "?"} (${s.algorithm})${s.certification ? `, certification DocMDP P=${s.certification}` : ""}`,
      `  time (/M): ${s.signingTime ?? "-"}${s.timestampTime ? `, timestamp: ${s.timestampTime}` : ""}`,
      `  coverage: ${s.coverage ? `covers revision ${s.coverage.revision} of ${s.coverage.of} / 覆盖第 ${s.coverage.revision} 版（共 ${s.coverage.of} 版）` : "no revision"}`,
    )
    for (const [name, c] of Object.entries(s.checks)) if (c) lines.push(`  ${c.ok ? "ok  " : "FAIL"} ${name}: ${c.detail}`)
    for (const c of s.revocation ?? []) {
      lines.push(`  ${c.status === "revokedBefore" ? "FAIL" : c.status === "unknown" ? "??  " : "ok  "} [${c.chain}] ${c.subject}: ${c.status}${c.source ? ` (${c.kind} from ${c.source})` : ""} — ${c.detail}`)
    }
    for (const u of s.unconfirmed) lines.push(`  ??   无法确认 / cannot be confirmed: ${u.zh} / ${u.en}`)
  })
  for (const rev of r.revisions) {
    if (rev.changes.length === 0) continue
    lines.push(`revision ${rev.number} (${rev.modified ? "MODIFIED after signing / 签署后被修改" : "allowed / 允许的变更"}):`)
    for (const c of rev.changes) lines.push(`  ${c.allowed ? "ok  " : "FAIL"} [${c.rule}] ${c.zh} / ${c.en}`)
  }
  for (const x of r.removedSignatures) lines.push(`FAIL signature "${x.field}" (last in revision ${x.lastSeenIn}) was removed / 签名“${x.field}”已被删除`)
  if (r.uncoveredBytes > 0) lines.push(`FAIL ${r.uncoveredBytes} bytes after the last %%EOF are covered by no signature / 最后一个 %%EOF 之后有 ${r.uncoveredBytes} 字节未被签名覆盖`)
  return lines.join("\n")
}

const verdictText: Record<VerifyReport["verdict"], { readonly zh: string; readonly en: string }> = {
  unchanged: { zh: "有效 / 签署后未被修改", en: "VALID, not modified since signing" },
  signaturesAdded: { zh: "有效 / 之后仅追加签名", en: "VALID, only signatures added later" },
  modified: { zh: "签名有效但文档在签署后被修改", en: "signatures valid but the document was MODIFIED after signing" },
  invalid: { zh: "无效", en: "NOT VALID" },
  unsigned: { zh: "无法验证（文件中没有签名）", en: "cannot verify: no signature" },
  unconfirmed: { zh: "签名完好，但无法确认其有效性", en: "signatures intact but their validity CANNOT BE CONFIRMED" },
}

const verify = async (args: ReadonlyArray<string>): Promise<number> => {
  const { values: v, positionals } = parseArgs({
    args: [...args],
    options: {
      trust: { type: "string", multiple: true }, json: { type: "boolean" }, "allow-modified": { type: "boolean" },
      revocation: { type: "boolean" }, crl: { type: "string", multiple: true }, ocsp: { type: "string", multiple: true },
      online: { type: "boolean" }, at: { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  })
  const file = positionals[0]
  if (!file) {
    console.error(VERIFY_USAGE)
    return 2
  }
  const trust = (v.trust ?? []).flatMap((p) => pemBlocks(readFileSync(p, "utf8"), "CERTIFICATE"))
  const at = v.at === undefined ? undefined : new Date(v.at)
  if (at !== undefined && Number.isNaN(at.getTime())) {
    console.error(`signet pdf verify: --at wants a date (2040-01-01 or an ISO time), got ${v.at}`)
    return 2
  }
  const checkRevocation = v.revocation === true || v.crl !== undefined || v.ocsp !== undefined || v.online === true || at !== undefined
  const der = (p: string) => {
    const text = readFileSync(p)
    const pem = text.toString("latin1").includes("-----BEGIN") ? pemBlocks(text.toString("latin1"), "X509 CRL") : []
    return pem[0] ?? new Uint8Array(text)
  }
  const revocation = checkRevocation
    ? { given: { crls: (v.crl ?? []).map(der), ocsps: (v.ocsp ?? []).map(der) }, online: v.online ? makeRevocationFetcher() : undefined }
    : undefined
  const verifying = verifyPdf(new Uint8Array(readFileSync(file)), { trust, revocation }).pipe(Effect.provide(layers))
  const result = await Effect.runPromise(Effect.result(at === undefined ? verifying : verifying.pipe(Effect.provideService(Clock.Clock, fixedClock(at)))))
  if (result._tag === "Failure") {
    console.error(`signet pdf verify: ${failureText(result.failure)}`)
    return 1
  }
  console.log(v.json ? JSON.stringify(result.success, null, 2) : human(file, result.success))
  const r = result.success
  return r.valid || (v["allow-modified"] === true && r.verdict === "modified" && r.signatures.every((s) => s.signatureValid)) ? 0 : 1
}

const isHelp = (a: string) => a === "--help" || a === "-h"

export default async function run(args: ReadonlyArray<string>): Promise<number> {
  const [sub, ...rest] = args
  const usage = sub === "sign" ? SIGN_USAGE : sub === "verify" ? VERIFY_USAGE : undefined
  if (!usage) {
    console.error(`usage:\n${SIGN_USAGE}\n${VERIFY_USAGE}`)
    return 2
  }
  if (rest.some(isHelp)) {
    console.log(usage)
    return 0
  }
  try {
    return await (sub === "sign" ? sign(rest) : verify(rest))
  } catch (e) {
    // Bad options (node:util parseArgs) and unreadable files: one line, no stack trace.
    const badUsage = String((e as { code?: unknown }).code ?? "").startsWith("ERR_PARSE_ARGS")
    console.error(`signet pdf ${sub}: ${failureText(e)}${badUsage ? `\n${usage}` : ""}`)
    return badUsage ? 2 : 1
  }
}
