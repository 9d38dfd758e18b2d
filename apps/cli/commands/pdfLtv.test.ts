/**
 * `signet pdf sign --level B-LTA` and `signet pdf verify --at 2040-01-01`:
 * with the CA's services stopped, a B-LTA file signed with a certificate that
 * expired in 2028 still verifies in 2040 from the file alone; its B-T twin
 * cannot be confirmed. Revocation files given with --crl / --ocsp are used.
 */
import { generateKeyPairSync } from "node:crypto"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { issueSigningCertificate, issueTsaCertificate } from "../../../adapters/ca/index.ts"
import { fetchOcsp } from "../../../adapters/ca/revocationFetcher.ts"
import { currentCrl } from "../../../adapters/ca/softwareCa.ts"
import { signerFromKey, spkiOf, toPem } from "../../../adapters/keys-software/index.ts"
import { startTsaServer, type RunningTsa } from "../../../adapters/tsa/index.ts"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import { openLtvWorld, type LtvWorld } from "../../../fixtures/signing/ltv.ts"
import { qpdfCheck, tempDir } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import pdf from "./pdf.ts"

const ok = requireTools("signet pdf B-LTA CLI", "qpdf")

describe.skipIf(!ok)("signet pdf sign --level / verify --at", () => {
  let world: LtvWorld
  let tsa: RunningTsa
  const dir = tempDir("signet-cli-ltv-")
  const file = (n: string) => join(dir, n)

  beforeAll(async () => {
    world = await openLtvWorld()
    const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey
    const cert = await Effect.runPromise(issueSigningCertificate(world.ca, { kind: "person", name: "周九" }, spkiOf(key), 730, { notAfter: new Date("2028-01-01T00:00:00Z") }))
    writeFileSync(file("signer.key.pem"), key.export({ format: "pem", type: "pkcs8" }))
    writeFileSync(file("signer.cert.pem"), toPem(cert, "CERTIFICATE"))
    writeFileSync(file("root.pem"), toPem(world.ca.rootDer, "CERTIFICATE"))
    // A TSA whose certificate outlives 2040 (an archive TSA; the renewal job keeps the newest one so).
    const tsaKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey
    const tsaCert = await Effect.runPromise(issueTsaCertificate(world.ca, spkiOf(tsaKey), "Signet Archive TSA", new Date("2045-01-01T00:00:00Z")))
    tsa = await startTsaServer({ signer: signerFromKey(tsaKey, tsaCert, [world.ca.rootDer]) })
    writeFileSync(file("in.pdf"), await classicPdf())
  })
  afterAll(async () => {
    await tsa.close()
    await world.stop()
  })

  it("B-LTA verifies in 2040 from the file alone; B-T cannot be confirmed; --crl/--ocsp files answer", async () => {
    const sign = (level: string, out: string) =>
      pdf(["sign", "--in", file("in.pdf"), "--out", file(out), "--key", file("signer.key.pem"), "--cert", file("signer.cert.pem"), "--chain", world.ca.files.chain, "--tsa", tsa.url, "--level", level])
    expect(await sign("B-LTA", "lta.pdf")).toBe(0)
    expect(await sign("B-T", "bt.pdf")).toBe(0)
    expect(await pdf(["sign", "--in", file("in.pdf"), "--out", file("x.pdf"), "--key", file("signer.key.pem"), "--cert", file("signer.cert.pem"), "--level", "B-LTA"])).toBe(2) // no TSA
    expect(qpdfCheck(file("lta.pdf")).status).toBe(0)
    // What the services say today, kept as files before they go.
    const signerDer = (await import("node:fs")).readFileSync(file("signer.cert.pem"), "utf8")
    const { pemBlocks } = await import("../../../adapters/keys-software/index.ts")
    const [leaf] = pemBlocks(signerDer, "CERTIFICATE")
    writeFileSync(file("signer.ocsp"), await Effect.runPromise(fetchOcsp(`${world.server.url}/ocsp`, leaf as Uint8Array, world.ca.issuingDer)))
    writeFileSync(file("issuing.crl"), (await Effect.runPromise(currentCrl(world.ca))) as Uint8Array)
    await world.stop()
    await tsa.close()

    const log = vi.spyOn(console, "log").mockImplementation(() => undefined)
    try {
      const run = async (...args: Array<string>) => {
        log.mockClear()
        const code = await pdf(["verify", ...args, "--trust", file("root.pem")])
        return { code, out: log.mock.calls.flat().join("\n") }
      }
      const lta = await run(file("lta.pdf"), "--at", "2040-01-01", "--online")
      expect(lta.code, lta.out).toBe(0)
      expect(lta.out).toContain("only validation data added (DSS, document timestamps)")
      expect(lta.out).toMatch(/CN=周九: good \(OCSP from dss\)/)
      const bt = await run(file("bt.pdf"), "--at", "2040-01-01")
      expect(bt.code, bt.out).toBe(1)
      expect(bt.out).toContain("签名完好，但无法确认其有效性")
      expect(bt.out).toContain("cannot be confirmed")
      // Today, with the signer's answer given as files: the signer is confirmed from them (the TSA's is not: still unconfirmed).
      const given = await run(file("bt.pdf"), "--ocsp", file("signer.ocsp"), "--crl", file("issuing.crl"))
      expect(given.out).toMatch(/CN=周九: good \((OCSP|CRL) from given\)/)
      const json = await run(file("lta.pdf"), "--at", "2040-01-01", "--json")
      expect(JSON.parse(json.out).verdict).toBe("signaturesAdded")
      expect(await pdf(["verify", file("lta.pdf"), "--at", "someday"])).toBe(2)
    } finally {
      log.mockRestore()
    }
  })
})
