/**
 * B-T signatures: our TSA over HTTP, OpenSSL as a second TSA, and
 * `openssl ts -verify` on the tokens our TSA issued.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { generateKeyPairSync } from "node:crypto"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { TimestampFailed, type TsaShape } from "../../core/ports/Tsa.ts"
import { signPdf } from "../../core/signing/signPdf.ts"
import { OID } from "../../core/signing/cms/oids.ts"
import { parseSignedData } from "../../core/signing/verify/cmsCheck.ts"
import { verifyPdf } from "../../core/signing/verify/verifyPdf.ts"
import { classicPdf } from "../../fixtures/pdfs/generate.ts"
import { openTestCa, testSigner } from "../../fixtures/signing/pki.ts"
import { concatParts, runSigning } from "../../fixtures/signing/run.ts"
import { expectValidators, nssDbTrusting, tempDir } from "../../fixtures/signing/validators.ts"
import { requireTools } from "../../fixtures/tools.ts"
import { issueTsaCertificate, tsaSigner, type DirectoryCa } from "../ca/index.ts"
import { spkiOf, toPem } from "../keys-software/index.ts"
import { buildRequest, makeHttpTsa, tokenFromResponse } from "./httpClient.ts"
import { startTsaServer, type RunningTsa } from "./server.ts"

const ok = requireTools("RFC 3161 TSA", "openssl", "pdfsig", "qpdf", "mutool", "certutil")

/** A `Tsa` that asks `openssl ts -reply` (a second, independent TSA implementation). */
const opensslTsa = (dir: string, certPem: string, keyPem: string, chainPem: string): TsaShape => ({
  timestamp: (imprint) =>
    Effect.try({
      try: () => {
        const nonce = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])
        writeFileSync(join(dir, "req.tsq"), buildRequest(imprint, nonce))
        writeFileSync(join(dir, "serial"), "01\n")
        writeFileSync(join(dir, "ts.cnf"), `[ tsa ]\ndefault_tsa = t\n[ t ]\nserial = ${dir}/serial\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\ness_cert_id_alg = sha256\naccuracy = secs:1\ncerts = ${chainPem}\n`)
        execFileSync("openssl", ["ts", "-reply", "-config", join(dir, "ts.cnf"), "-queryfile", join(dir, "req.tsq"), "-signer", certPem, "-inkey", keyPem, "-out", join(dir, "resp.tsr")], { stdio: "pipe" })
        return tokenFromResponse(new Uint8Array(readFileSync(join(dir, "resp.tsr"))), imprint, nonce)
      },
      catch: (e) => new TimestampFailed({ reason: String(e) }),
    }),
})

describe.skipIf(!ok)("timestamps (B-T)", () => {
  let ca: DirectoryCa
  let server: RunningTsa
  const dir = tempDir("signet-tsa-")
  beforeAll(async () => {
    ca = await openTestCa()
    server = await startTsaServer({ signer: tsaSigner(ca) })
  })
  afterAll(() => server?.close())

  it("signs with our HTTP TSA; pdfsig, openssl ts -verify and our verifier accept", async () => {
    const signer = await testSigner(ca, "rsa")
    const nss = nssDbTrusting(ca.files.rootCert)
    let pdf = await classicPdf(1)
    pdf = concatParts((await runSigning(signPdf(pdf, { reason: "B-T" }, signer.signer, makeHttpTsa(server.url)))).parts)
    pdf = concatParts((await runSigning(signPdf(pdf, { reason: "B-B" }, (await testSigner(ca, "ec")).signer))).parts)
    expectValidators(pdf, 2, { nss, rootPem: ca.files.rootCert, name: "tsa" })
    const report = await runSigning(verifyPdf(pdf, { trust: [ca.rootDer] }))
    expect(report.valid, JSON.stringify(report, null, 1)).toBe(true)
    expect(report.signatures[0]?.checks.timestamp?.ok).toBe(true)
    expect(report.signatures[1]?.checks.timestamp).toBeUndefined()

    // openssl ts -verify over the signature value with the token from the CMS.
    const text = Buffer.from(pdf).toString("latin1")
    const m = /\/ByteRange \[0 (\d+) (\d+)/.exec(text)
    const hex = text.slice(Number(m?.[1]) + 1, Number(m?.[2]) - 1).replace(/(00)+$/, "")
    const sd = parseSignedData(new Uint8Array(Buffer.from(hex.length % 2 ? `${hex}0` : hex, "hex")))
    const si = sd?.signerInfos[0] as pkijs.SignerInfo
    const token = si.unsignedAttrs?.attributes.find((a) => a.type === OID.signatureTimeStampToken)?.values[0]
    writeFileSync(join(dir, "token.der"), new Uint8Array(token.toBER(false)))
    writeFileSync(join(dir, "sigvalue.bin"), new Uint8Array(si.signature.valueBlock.valueHexView))
    const r = spawnSync("openssl", ["ts", "-verify", "-data", join(dir, "sigvalue.bin"), "-in", join(dir, "token.der"), "-token_in", "-CAfile", ca.files.rootCert], { encoding: "utf8" })
    expect(r.stdout + r.stderr).toContain("Verification: OK")
  })

  it("tokens from OpenSSL's TSA verify in Signet (and a tampered imprint does not)", async () => {
    const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey
    const cert = await Effect.runPromise(issueTsaCertificate(ca, spkiOf(key), "OpenSSL Test TSA"))
    writeFileSync(join(dir, "tsa.key.pem"), key.export({ format: "pem", type: "pkcs8" }))
    writeFileSync(join(dir, "tsa.cert.pem"), toPem(cert, "CERTIFICATE"))
    writeFileSync(join(dir, "tsa.chain.pem"), toPem(cert, "CERTIFICATE") + toPem(ca.rootDer, "CERTIFICATE"))
    const tsa = opensslTsa(dir, join(dir, "tsa.cert.pem"), join(dir, "tsa.key.pem"), join(dir, "tsa.chain.pem"))
    const signer = await testSigner(ca, "ec")
    const pdf = concatParts((await runSigning(signPdf(await classicPdf(1), {}, signer.signer, tsa))).parts)
    const report = await runSigning(verifyPdf(pdf, { trust: [ca.rootDer] }))
    expect(report.signatures[0]?.checks.timestamp, JSON.stringify(report, null, 1)).toMatchObject({ ok: true })
    expect(report.signatures[0]?.checks.timestamp?.detail).toContain("OpenSSL Test TSA")
    expect(report.valid).toBe(true)

    // The client refuses a response for another imprint.
    const imprint = new Uint8Array(32).fill(7)
    writeFileSync(join(dir, "req.tsq"), buildRequest(imprint, new Uint8Array([9])))
    execFileSync("openssl", ["ts", "-reply", "-config", join(dir, "ts.cnf"), "-queryfile", join(dir, "req.tsq"), "-signer", join(dir, "tsa.cert.pem"), "-inkey", join(dir, "tsa.key.pem"), "-out", join(dir, "resp2.tsr")], { stdio: "pipe" })
    expect(() => tokenFromResponse(new Uint8Array(readFileSync(join(dir, "resp2.tsr"))), new Uint8Array(32).fill(8), new Uint8Array([9]))).toThrow(/imprint/)
  })
})
