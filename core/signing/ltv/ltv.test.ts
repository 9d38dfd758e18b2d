/**
 * PAdES B-LT / B-LTA end to end: files checked by pdfsig, mutool, qpdf and
 * openssl (cms, ts, ocsp) after the DSS and document timestamps are added;
 * Signet's verifier with revocation from the file, from given files and
 * online; revoked before / after signing from OCSP and from the CRL; the
 * CA's services stopped (offline); and verification in 2040 of a signer
 * certificate that expired in 2028.
 */
import { execFile } from "node:child_process"
import { generateKeyPairSync } from "node:crypto"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import { Clock, Effect } from "effect"
import * as pkijs from "pkijs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { issueSigningCertificate, issueTsaCertificate, revoke } from "../../../adapters/ca/index.ts"
import { fetchOcsp, makeRevocationFetcher } from "../../../adapters/ca/revocationFetcher.ts"
import { currentCrl } from "../../../adapters/ca/softwareCa.ts"
import { localTsa } from "../../../adapters/evidence-tsa/index.ts"
import { signerFromKey, spkiOf, toPem } from "../../../adapters/keys-software/index.ts"
import { classicPdf, objectStreamPdf } from "../../../fixtures/pdfs/generate.ts"
import { openLtvWorld, type LtvWorld } from "../../../fixtures/signing/ltv.ts"
import { testSigner } from "../../../fixtures/signing/pki.ts"
import { concatParts, runSigning } from "../../../fixtures/signing/run.ts"
import { extractSignatures, mutoolVerify, opensslCmsVerify, pdfsig, qpdfCheck, tempDir } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import { fixedClock } from "../../kernel/time.ts"
import type { PadesLevel } from "../../ports/PadesProfile.ts"
import type { RevocationData } from "../../ports/RevocationFetcher.ts"
import type { Signer } from "../../ports/Signer.ts"
import { openPdf } from "../pdf/document.ts"
import { signPdf } from "../signPdf.ts"
import { parseOcsp } from "../verify/revocation.ts"
import { verifyPdf, type VerifyOptions } from "../verify/verifyPdf.ts"
import { readDss } from "./dss.ts"
import { extendToLevel } from "./padesLevel.ts"
import { newestArchiveExpiry, renewArchiveTimestamp } from "./renewal.ts"

const ok = requireTools("PAdES B-LT/B-LTA validators", "pdfsig", "mutool", "qpdf", "openssl", "certutil")

const openssl = async (...args: Array<string>) => {
  try {
    const { stdout, stderr } = await promisify(execFile)("openssl", args, { encoding: "utf8" })
    return { ok: true, out: stdout + stderr }
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string }
    return { ok: false, out: `${x.stdout ?? ""}${x.stderr ?? ""}` }
  }
}

describe.skipIf(!ok)("PAdES B-LT and B-LTA", () => {
  let world: LtvWorld
  let signer: Signer
  const dir = tempDir("signet-ltv-")

  const sign = async (pdf: Uint8Array, s: Signer, level: PadesLevel, tsa = world.tsa) => {
    const signed = concatParts((await runSigning(signPdf(pdf, { fieldName: `party-${level}-${Math.random().toString(36).slice(2, 6)}` }, s, level === "B-B" ? undefined : tsa))).parts)
    return runSigning(extendToLevel(signed, world.profile(level, tsa)))
  }
  const verify = (pdf: Uint8Array, revocation: VerifyOptions["revocation"], at?: Date) =>
    runSigning(
      at === undefined
        ? verifyPdf(pdf, { trust: [world.ca.rootDer], revocation })
        : verifyPdf(pdf, { trust: [world.ca.rootDer], revocation }).pipe(Effect.provideService(Clock.Clock, fixedClock(at))),
    )

  beforeAll(async () => {
    world = await openLtvWorld()
    signer = (await testSigner(world.ca, "ec", { kind: "person", name: "张三" })).signer
  })
  afterAll(() => world.stop())

  it("B-LTA: signature, DSS, document timestamp, DSS, accepted by pdfsig, mutool, qpdf and openssl cms/ts/ocsp", async () => {
    const pdf = await sign(await objectStreamPdf(), signer, "B-LTA")
    const file = join(dir, "b-lta.pdf")
    writeFileSync(file, pdf)
    // -nocert: with a certificate database poppler's NSS asks the OCSP responder this process serves, while spawnSync blocks it.
    const sig = pdfsig(file)
    expect(sig.blocks, sig.raw).toHaveLength(1)
    expect(sig.blocks[0]?.valid, sig.raw).toBe(true)
    // poppler 22 lists a document timestamp without checking it ("Signature Type: unknown", "not yet been verified"):
    // openssl ts checks it below. What it must never say is that the bytes changed.
    expect(sig.documentTimestamps, sig.raw).toHaveLength(1)
    expect(sig.documentTimestamps[0]?.text).toContain("Signature Field Name: DocTimeStamp1")
    expect(sig.raw).not.toMatch(/Digest Mismatch|Signature is Invalid/)
    const q = qpdfCheck(file)
    expect(q.status, q.output).toBe(0)
    const mu = mutoolVerify(file)
    expect(mu.digestErrors, mu.raw).toBe(0)
    expect(mu.verified, mu.raw).toBe(2)
    // The CAdES signature with openssl cms; the document timestamp (an RFC 3161 token over its ByteRange) with openssl ts.
    const [cms] = opensslCmsVerify(pdf, world.ca.files.rootCert)
    expect(cms?.ok, cms?.output).toBe(true)
    const docTs = extractSignatures(pdf)[1] as { cms: Buffer; signed: Buffer }
    writeFileSync(join(dir, "dts.der"), docTs.cms)
    writeFileSync(join(dir, "dts.bin"), docTs.signed)
    const ts = await openssl("ts", "-verify", "-data", join(dir, "dts.bin"), "-in", join(dir, "dts.der"), "-token_in", "-CAfile", world.ca.files.rootCert)
    expect(ts.out).toContain("Verification: OK")
    // Every OCSP response kept in the DSS verifies with openssl ocsp.
    const dss = readDss(openPdf(pdf))
    expect(dss.ocsps.length).toBeGreaterThanOrEqual(3) // signer, issuing CA, TSA
    expect(dss.certs.length).toBeGreaterThanOrEqual(3)
    for (const [i, o] of dss.ocsps.entries()) {
      writeFileSync(join(dir, `ocsp${i}.der`), o)
      const r = await openssl("ocsp", "-respin", join(dir, `ocsp${i}.der`), "-CAfile", world.ca.files.chain, "-resp_text")
      expect(r.out, r.out).toContain("Response verify OK")
      expect(r.out).toContain("Cert Status: good")
    }
    // /VRI is keyed by the uppercase hex SHA-1 of each signature's /Contents.
    const text = Buffer.from(pdf).toString("latin1")
    const vriKeys = [...text.matchAll(/\/([0-9A-F]{40})\s+\d+ 0 R/g)].map((m) => m[1])
    expect(new Set(vriKeys).size).toBeGreaterThanOrEqual(2)

    const report = await verify(pdf, { online: undefined })
    expect(report.verdict).toBe("signaturesAdded")
    expect(report.signatures.map((s) => s.kind)).toEqual(["signature", "documentTimestamp"])
    expect(report.signatures[0]?.checks.changesAfter.detail).toBe("only validation data added (DSS, document timestamps)")
    expect(report.revisions.flatMap((r) => r.changes.map((c) => c.rule)).every((r) => r === "dss" || r === "docTimestamp")).toBe(true)
    for (const s of report.signatures) {
      expect(s.unconfirmed).toEqual([])
      for (const c of s.revocation ?? []) expect(c.status === "notApplicable" || c.source === "dss", JSON.stringify(c)).toBe(true)
    }
  })

  it("B-T and B-LT files: the DSS update is the only addition; B-T adds nothing", async () => {
    const pdf = await classicPdf()
    const bt = await sign(pdf, signer, "B-T")
    expect(extractSignatures(bt)).toHaveLength(1)
    expect(readDss(openPdf(bt)).ocsps).toHaveLength(0)
    const blt = await sign(pdf, signer, "B-LT")
    const file = join(dir, "b-lt.pdf")
    writeFileSync(file, blt)
    expect(qpdfCheck(file).status).toBe(0)
    expect(pdfsig(file).blocks.every((b) => b.valid)).toBe(true)
    const report = await verify(blt, {})
    expect(report.verdict).toBe("signaturesAdded")
    expect(report.signatures[0]?.checks.revocation?.ok).toBe(true)
  })

  it("offline (the CA's services stopped): a B-LTA file verifies with every revocation answer from the file, a B-T file cannot be confirmed", async () => {
    const other = await openLtvWorld()
    const s = (await testSigner(other.ca, "ec", { kind: "person", name: "王五" })).signer
    const signAt = async (level: PadesLevel) => {
      const signed = concatParts((await runSigning(signPdf(await classicPdf(), {}, s, other.tsa))).parts)
      return runSigning(extendToLevel(signed, other.profile(level)))
    }
    const lta = await signAt("B-LTA")
    const bt = await signAt("B-T")
    await other.stop()
    const online = makeRevocationFetcher({ timeoutMs: 500 })
    const check = (pdf: Uint8Array) => runSigning(verifyPdf(pdf, { trust: [other.ca.rootDer], revocation: { online } }))
    const a = await check(lta)
    expect(a.valid, JSON.stringify(a.signatures.map((x) => x.unconfirmed))).toBe(true)
    const answered = a.signatures.flatMap((x) => x.revocation ?? []).filter((c) => c.status !== "notApplicable")
    expect(answered.length).toBeGreaterThanOrEqual(4)
    for (const c of answered) expect([c.status, c.source]).toEqual(["good", "dss"])
    const b = await check(bt)
    expect(b.verdict).toBe("unconfirmed")
    expect(b.valid).toBe(false)
    expect(b.signatures[0]?.unconfirmed.map((r) => r.en).join(" ")).toContain("cannot be confirmed")
  })

  describe("revoked certificates", () => {
    const revokedSigner = async (name: string) => {
      const t = await testSigner(world.ca, "ec", { kind: "person", name })
      const serial = Buffer.from(pkijs.Certificate.fromBER(new Uint8Array(t.certificate)).serialNumber.valueBlock.valueHexView).toString("hex")
      return { ...t, revoke: () => Effect.runPromise(revoke(world.ca, serial)) }
    }
    const given = async (cert: Uint8Array): Promise<{ ocsp: RevocationData; crl: RevocationData }> => ({
      ocsp: { ocsps: [await Effect.runPromise(fetchOcsp(`${world.server.url}/ocsp`, cert, world.ca.issuingDer))], crls: [] },
      crl: { ocsps: [], crls: [(await Effect.runPromise(currentCrl(world.ca))) as Uint8Array] },
    })
    // The TSA's own status comes from the file (a B-LT DSS made before the revocation would say "good" for the
    // signer too), so these files are B-T and the signer's answer is what the test gives.
    const tsaOnly = async (pdf: Uint8Array, signerCert: Uint8Array) => {
      const serial = pkijs.Certificate.fromBER(new Uint8Array(signerCert)).serialNumber
      const dss = readDss(openPdf(await runSigning(extendToLevel(pdf, world.profile("B-LT")))))
      const aboutSigner = (o: Uint8Array) => parseOcsp(o)?.tbsResponseData.responses.some((r) => r.certID.serialNumber.isEqual(serial)) ?? false
      return { ocsps: dss.ocsps.filter((o) => !aboutSigner(o)), crls: dss.crls }
    }

    it("revoked BEFORE signing: invalid, from OCSP and from the CRL, and online", async () => {
      const t = await revokedSigner("赵六")
      await t.revoke()
      await new Promise((r) => setTimeout(r, 1100)) // revocation times have one-second precision
      const pdf = await sign(await classicPdf(), t.signer, "B-T")
      const tsa = await tsaOnly(pdf, t.certificate)
      const g = await given(t.certificate)
      for (const [kind, data] of [["OCSP", g.ocsp], ["CRL", g.crl]] as const) {
        const r = await verify(pdf, { given: { ocsps: [...data.ocsps, ...tsa.ocsps], crls: [...data.crls, ...tsa.crls] } })
        expect(r.verdict, kind).toBe("invalid")
        const sig = r.signatures[0]
        expect(sig?.checks.revocation?.ok).toBe(false)
        const leaf = sig?.revocation?.find((c) => c.subject.includes("赵六"))
        expect(leaf).toMatchObject({ status: "revokedBefore", kind, source: "given" })
      }
      const online = await verify(pdf, { online: makeRevocationFetcher() })
      expect(online.verdict).toBe("invalid")
      expect(online.signatures[0]?.revocation?.find((c) => c.subject.includes("赵六"))).toMatchObject({ status: "revokedBefore", source: "online", kind: "OCSP" })
    })

    it("revoked AFTER signing: still valid, and the report says so, from OCSP and from the CRL", async () => {
      const t = await revokedSigner("钱七")
      const pdf = await sign(await classicPdf(), t.signer, "B-T")
      const tsa = await tsaOnly(pdf, t.certificate)
      await new Promise((r) => setTimeout(r, 1100))
      await t.revoke()
      const g = await given(t.certificate)
      for (const [kind, data] of [["OCSP", g.ocsp], ["CRL", g.crl]] as const) {
        const r = await verify(pdf, { given: { ocsps: [...data.ocsps, ...tsa.ocsps], crls: [...data.crls, ...tsa.crls] } })
        expect(r.verdict, `${kind}: ${JSON.stringify(r.signatures[0]?.unconfirmed)}`).toBe("unchanged")
        const sig = r.signatures[0]
        expect(sig?.checks.revocation?.ok).toBe(true)
        expect(sig?.checks.revocation?.detail).toContain("after the signing time")
        expect(sig?.revocation?.find((c) => c.subject.includes("钱七"))).toMatchObject({ status: "revokedAfter", kind, source: "given" })
      }
    })

    it("no answer at all: cannot be confirmed, never silently valid", async () => {
      const pdf = await sign(await classicPdf(), signer, "B-T")
      const r = await verify(pdf, {})
      expect(r.verdict).toBe("unconfirmed")
      expect(r.valid).toBe(false)
      // Without revocation checking asked for, the report says nothing about it (the old behaviour).
      const plain = await verify(pdf, undefined)
      expect(plain.verdict).toBe("unchanged")
      expect(plain.signatures[0]?.revocation).toBeUndefined()
    })
  })

  it("in 2040: a B-LTA file whose signer certificate expired in 2028 and whose CA services are gone still verifies; its B-T twin does not", async () => {
    const other = await openLtvWorld()
    const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey
    const cert = await Effect.runPromise(issueSigningCertificate(other.ca, { kind: "person", name: "孙八" }, spkiOf(key), 730, { notAfter: new Date("2028-01-01T00:00:00Z") }))
    const s = signerFromKey(key, cert, [other.ca.issuingDer])
    // The archive timestamp comes from a TSA whose certificate outlives the signing TSA's (renewal keeps it so).
    const tsaKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey
    const tsaCert = await Effect.runPromise(issueTsaCertificate(other.ca, spkiOf(tsaKey), "Signet Archive TSA", new Date("2045-01-01T00:00:00Z")))
    const archiveTsa = localTsa(signerFromKey(tsaKey, tsaCert, [other.ca.rootDer]))
    const signed = concatParts((await runSigning(signPdf(await classicPdf(), {}, s, other.tsa))).parts)
    const lta = await runSigning(extendToLevel(signed, other.profile("B-LTA", archiveTsa)))
    await other.stop()
    writeFileSync(join(dir, "lta-2040.pdf"), lta)
    writeFileSync(join(dir, "bt-2040.pdf"), signed)
    writeFileSync(join(dir, "root-2040.pem"), toPem(other.ca.rootDer, "CERTIFICATE"))
    const at = new Date("2040-01-01T00:00:00Z")
    const check = (pdf: Uint8Array) =>
      runSigning(verifyPdf(pdf, { trust: [other.ca.rootDer], revocation: { online: makeRevocationFetcher({ timeoutMs: 500 }) } }).pipe(Effect.provideService(Clock.Clock, fixedClock(at))))
    const a = await check(lta)
    expect(a.valid, JSON.stringify(a.signatures.map((x) => x.unconfirmed))).toBe(true)
    expect(a.verdict).toBe("signaturesAdded")
    const b = await check(signed)
    expect(b.verdict).toBe("unconfirmed")
    const reasons = b.signatures[0]?.unconfirmed.map((r) => r.en).join(" ") ?? ""
    expect(reasons).toContain("no later document timestamp protects it")
    expect(reasons).toContain("cannot be confirmed")
    // Today both verify (the services are gone, but the B-T file's answers were never in it: cannot be confirmed).
    const today = await runSigning(verifyPdf(lta, { trust: [other.ca.rootDer], revocation: {} }))
    expect(today.valid).toBe(true)
  })

  it("archive renewal: a document timestamp whose TSA certificate expires within the window gets a new DSS and timestamp", async () => {
    const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey
    const soon = new Date(Date.now() + 30 * 86_400_000)
    const shortTsa = localTsa(signerFromKey(key, await Effect.runPromise(issueTsaCertificate(world.ca, spkiOf(key), "Signet Short TSA", soon)), [world.ca.rootDer]))
    const signed = concatParts((await runSigning(signPdf(await classicPdf(), {}, signer, world.tsa))).parts)
    const lta = await runSigning(extendToLevel(signed, world.profile("B-LTA", shortTsa)))
    expect(newestArchiveExpiry(lta)?.getTime()).toBe(Math.floor(soon.getTime() / 1000) * 1000)
    expect(await runSigning(renewArchiveTimestamp(lta, world.profile("B-LTA"), "7 days"))).toBeUndefined()
    const renewed = await runSigning(renewArchiveTimestamp(lta, world.profile("B-LTA"), "60 days"))
    expect(renewed).toBeDefined()
    const bytes = renewed as Uint8Array
    expect(Buffer.from(bytes.subarray(0, lta.length)).equals(Buffer.from(lta))).toBe(true) // appended, nothing rewritten
    expect(newestArchiveExpiry(bytes)?.getTime()).toBeGreaterThan(soon.getTime())
    // Two months on, the short TSA's certificate has expired: only the renewed file still verifies.
    const later = new Date(Date.now() + 60 * 86_400_000)
    const old = await verify(lta, {}, later)
    expect(old.verdict).toBe("unconfirmed")
    const r = await verify(bytes, {}, later)
    expect(r.verdict, JSON.stringify(r.signatures.map((x) => x.unconfirmed))).toBe("signaturesAdded")
    expect(r.signatures.map((x) => x.kind)).toEqual(["signature", "documentTimestamp", "documentTimestamp"])
    const file = join(dir, "renewed.pdf")
    writeFileSync(file, bytes)
    expect(qpdfCheck(file).status).toBe(0)
    expect(mutoolVerify(file).digestErrors).toBe(0)
  })
})
