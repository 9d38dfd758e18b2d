/**
 * The CA's OCSP responder and CRLs against OpenSSL, each side against the
 * other: `openssl ocsp` as the client of our responder, and our client
 * against `openssl ocsp -index ... -port` as the responder.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process"
import { promisify } from "node:util"
import { generateKeyPairSync } from "node:crypto"
import { writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { join } from "node:path"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { webCryptoLayer } from "../keys-software/index.ts"
import { toPem } from "../keys-software/index.ts"
import { WebCrypto } from "../../core/ports/WebCrypto.ts"
import { certificateStatus, noRevocationData, parseRevocationData } from "../../core/signing/verify/revocation.ts"
import { openLtvWorld, type LtvWorld } from "../../fixtures/signing/ltv.ts"
import { testSigner } from "../../fixtures/signing/pki.ts"
import { tempDir } from "../../fixtures/signing/validators.ts"
import { requireTools } from "../../fixtures/tools.ts"
import { ocspResponder } from "./ocsp.ts"
import { fetchOcsp, revocationUrls } from "./revocationFetcher.ts"
import { currentCrl, revoke } from "./softwareCa.ts"
import { issueCertificate, KEY_USAGE } from "./x509.ts"
import { OID } from "../../core/signing/cms/oids.ts"

const ok = requireTools("OCSP against OpenSSL", "openssl")

/** openssl as a client of the responder in this process: run without blocking the event loop; stdout and stderr together. */
const openssl = async (...args: Array<string>): Promise<string> => {
  const { stdout, stderr } = await promisify(execFile)("openssl", args, { encoding: "utf8" })
  return stdout + stderr
}

const pemFile = (dir: string, name: string, der: Uint8Array) => {
  const p = join(dir, name)
  writeFileSync(p, toPem(der, "CERTIFICATE"))
  return p
}

const serialHex = (der: Uint8Array) => Buffer.from(pkijs.Certificate.fromBER(new Uint8Array(der)).serialNumber.valueBlock.valueHexView).toString("hex")

const statusOf = (der: Uint8Array, issuer: Uint8Array, data: { ocsps?: Array<Uint8Array>; crls?: Array<Uint8Array> }, at = new Date()) =>
  Effect.runPromise(
    Effect.gen(function*() {
      const { crypto } = yield* WebCrypto
      return yield* certificateStatus(
        crypto,
        pkijs.Certificate.fromBER(new Uint8Array(der)),
        pkijs.Certificate.fromBER(new Uint8Array(issuer)),
        at,
        { dss: noRevocationData, given: parseRevocationData({ ocsps: data.ocsps ?? [], crls: data.crls ?? [] }), online: undefined },
      )
    }).pipe(Effect.provide(webCryptoLayer)),
  )

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

describe.skipIf(!ok)("the CA's OCSP responder and CRLs", () => {
  let world: LtvWorld
  let good: Uint8Array
  let bad: Uint8Array
  const dir = tempDir("signet-ocsp-")

  beforeAll(async () => {
    world = await openLtvWorld()
    good = (await testSigner(world.ca, "ec", { kind: "person", name: "张三" })).certificate
    bad = (await testSigner(world.ca, "ec", { kind: "person", name: "李四" })).certificate
    await Effect.runPromise(revoke(world.ca, serialHex(bad)))
  })
  afterAll(() => world.stop())

  it("puts its OCSP responder (AIA) and CRL distribution point in every certificate it issues", () => {
    for (const der of [good, world.ca.issuingDer, world.ca.tsaDer]) {
      const urls = revocationUrls(der)
      expect(urls.ocsp).toEqual([`${world.server.url}/ocsp`])
      expect(urls.crl[0]).toMatch(/\/crl\/(issuing|root)\.crl$/)
    }
  })

  it("answers openssl ocsp: good, revoked, and a response signed by a delegated OCSP-signing certificate with ocsp-nocheck", async () => {
    const issuer = pemFile(dir, "issuing.pem", world.ca.issuingDer)
    const chain = world.ca.files.chain
    const ask = (cert: Uint8Array, name: string) =>
      openssl("ocsp", "-issuer", issuer, "-cert", pemFile(dir, name, cert), "-url", `${world.server.url}/ocsp`, "-CAfile", chain, "-resp_text")
    const g = await ask(good, "good.pem")
    expect(g).toContain("good.pem: good")
    expect(g).toContain("Response verify OK")
    expect(g).toContain("OCSP Signing")
    expect(g).toContain("OCSP No Check")
    const r = await ask(bad, "bad.pem")
    expect(r).toContain("bad.pem: revoked")
    expect(r).toContain("Response verify OK")
    // The TSA certificate is the root's: answered by the root's own delegated responder.
    const root = pemFile(dir, "root.pem", world.ca.rootDer)
    const tsa = await openssl("ocsp", "-issuer", root, "-cert", pemFile(dir, "tsa.pem", world.ca.tsaDer), "-url", `${world.server.url}/ocsp`, "-CAfile", root)
    expect(tsa).toContain("tsa.pem: good")
    expect(tsa).toContain("Response verify OK")
  })

  it("publishes CRLs over HTTP that openssl reads, listing the revoked serial", async () => {
    const crl = await (await fetch(`${world.server.url}/crl/issuing.crl`)).arrayBuffer()
    const path = join(dir, "issuing.crl")
    writeFileSync(path, Buffer.from(crl))
    const text = await openssl("crl", "-inform", "DER", "-in", path, "-noout", "-text")
    expect(text.toLowerCase()).toContain(serialHex(bad).toLowerCase().replace(/^0+/, ""))
    const verified = await openssl("crl", "-inform", "DER", "-in", path, "-CAfile", world.ca.files.chain, "-noout")
    expect(verified).toContain("verify OK")
  })

  it("the verifier reads both answers: good and revoked, from OCSP and from the CRL", async () => {
    const issuer = world.ca.issuingDer
    const ocspGood = await Effect.runPromise(fetchOcsp(`${world.server.url}/ocsp`, good, issuer))
    const ocspBad = await Effect.runPromise(fetchOcsp(`${world.server.url}/ocsp`, bad, issuer))
    expect((await statusOf(good, issuer, { ocsps: [ocspGood] })).status).toBe("good")
    expect((await statusOf(bad, issuer, { ocsps: [ocspBad] })).status).toBe("revokedBefore")
    // The good answer is no answer about the other certificate.
    expect((await statusOf(bad, issuer, { ocsps: [ocspGood] })).status).toBe("unknown")
    const crl = (await Effect.runPromise(currentCrl(world.ca))) as Uint8Array
    expect((await statusOf(good, issuer, { crls: [crl] })).status).toBe("good")
    expect((await statusOf(bad, issuer, { crls: [crl] })).status).toBe("revokedBefore")
    // Revoked after a time of interest a year ago: still valid then.
    expect((await statusOf(bad, issuer, { crls: [crl] }, new Date(Date.now() - 365 * 86_400_000))).status).toBe("revokedAfter")
    // A CRL signed by another CA (the root's) says nothing about the issuing CA's certificates.
    const rootCrl = (await Effect.runPromise(currentCrl(world.ca, "root"))) as Uint8Array
    expect((await statusOf(bad, issuer, { crls: [rootCrl] })).status).toBe("unknown")
  })

  it("our client against openssl ocsp as the responder (index file, its own OCSP-signing certificate)", async () => {
    const key = generateKeyPairSync("ec", { namedCurve: "P-256" })
    const spki = new Uint8Array(key.publicKey.export({ format: "der", type: "spki" }))
    const rsignerDer = await Effect.runPromise(issueCertificate(
      { subject: [["C", "CN"], ["CN", "OpenSSL OCSP responder"]], spki, days: 30, keyUsage: KEY_USAGE.digitalSignature, extKeyUsage: { oids: [OID.ocspSigning], critical: false } },
      { certificate: world.ca.issuing, algorithm: "ECDSA-P256-SHA256", sign: (tbs) => world.ca.store.sign("issuing", "ECDSA-P256-SHA256", tbs) },
    ))
    const rsigner = pemFile(dir, "rsigner.pem", rsignerDer)
    const rkey = join(dir, "rsigner.key")
    writeFileSync(rkey, key.privateKey.export({ format: "pem", type: "pkcs8" }))
    const line = (status: "V" | "R", der: Uint8Array) =>
      [status, "301231235959Z", status === "R" ? "240101000000Z" : "", serialHex(der).toUpperCase(), "unknown", "/CN=x"].join("\t")
    const index = join(dir, "index.txt")
    writeFileSync(index, `${line("V", good)}\n${line("R", bad)}\n`)
    const port = await freePort()
    const responder: ChildProcess = spawn("openssl", ["ocsp", "-index", index, "-port", String(port), "-rsigner", rsigner, "-rkey", rkey, "-CA", pemFile(dir, "ca.pem", world.ca.issuingDer), "-nmin", "60"], { stdio: "ignore" })
    try {
      const url = `http://127.0.0.1:${port}/`
      let answer: Uint8Array | undefined
      for (let i = 0; i < 50 && !answer; i++) {
        const got = await Effect.runPromise(Effect.result(fetchOcsp(url, good, world.ca.issuingDer, 1000)))
        if (got._tag === "Success") answer = got.success
        else await new Promise((r) => setTimeout(r, 100))
      }
      expect(answer).toBeDefined()
      const g = await statusOf(good, world.ca.issuingDer, { ocsps: [answer as Uint8Array] })
      expect(g).toMatchObject({ status: "good", kind: "OCSP", source: "given" })
      const b = await statusOf(bad, world.ca.issuingDer, { ocsps: [await Effect.runPromise(fetchOcsp(url, bad, world.ca.issuingDer))] })
      expect(b.status).toBe("revokedBefore")
      expect(b.detail).toContain("2024-01-01")
    } finally {
      responder.kill()
    }
  })

  it("keeps one delegated responder per CA across openings", async () => {
    const a = await Effect.runPromise(ocspResponder(world.ca, "issuing"))
    const b = await Effect.runPromise(ocspResponder(world.ca, "issuing"))
    expect(Buffer.from(a.certificate).equals(Buffer.from(b.certificate))).toBe(true)
  })
})
