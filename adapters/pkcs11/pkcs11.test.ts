import { spawnSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { issueSigningCertificate, type DirectoryCa } from "../ca/index.ts"
import { signPdf } from "../../core/signing/signPdf.ts"
import { verifyPdf } from "../../core/signing/verify/verifyPdf.ts"
import { cjkPdf } from "../../fixtures/pdfs/generate.ts"
import { openTestCa, testSigner } from "../../fixtures/signing/pki.ts"
import { concatParts, runSigning } from "../../fixtures/signing/run.ts"
import { initSoftHsmToken, SOFTHSM_MODULE } from "../../fixtures/signing/softhsm.ts"
import { expectValidators, nssDbTrusting, pdfsig, tempDir } from "../../fixtures/signing/validators.ts"
import { requireTools } from "../../fixtures/tools.ts"
import { toPem } from "../keys-software/index.ts"
import { isSessionOpen, makePkcs11KeyStore, openPkcs11Signer, openToken, pkcs11Signer } from "./index.ts"

const ok = requireTools("PKCS#11 (SoftHSM2)", "softhsm2-util", SOFTHSM_MODULE, "pdfsig", "qpdf", "mutool", "openssl", "certutil")

describe.skipIf(!ok)("PKCS#11 key store on SoftHSM2", () => {
  let ca: DirectoryCa
  let token: { module: string; label: string; pin: string }
  beforeAll(async () => {
    token = initSoftHsmToken("usb-key-1")
    ca = await openTestCa()
  })

  it("a wrong PIN or an unknown token label is refused", () => {
    expect(() => openToken(token.module, token.label, "0000")).toThrow(/PIN_INCORRECT/)
    expect(() => openToken(token.module, "no-such-token", token.pin)).toThrow(/no token labelled/)
  })

  it("generates keys in the token, finds them by label and signs PDFs that every validator accepts", async () => {
    const store = makePkcs11KeyStore(openToken(token.module, token.label, token.pin))
    const rsaSpki = await Effect.runPromise(store.generate("person-rsa", "RSA-2048"))
    const ecSpki = await Effect.runPromise(store.generate("seal-ec", "EC-P256"))
    expect(await Effect.runPromise(store.publicKey("seal-ec"))).toEqual(ecSpki)
    expect((await Effect.runPromise(Effect.flip(store.publicKey("missing"))))._tag).toBe("KeyNotFound")
    const rsaCert = await Effect.runPromise(issueSigningCertificate(ca, { kind: "person", name: "令牌用户" }, rsaSpki))
    const ecCert = await Effect.runPromise(issueSigningCertificate(ca, { kind: "enterprise", name: "示例公司公章", organization: "示例公司", uscc: "91310000MA1FL0000X" }, ecSpki))
    const software = await testSigner(ca, "ec")
    const signers = [
      openPkcs11Signer({ module: token.module, token: token.label, keyLabel: "person-rsa", pin: token.pin, certificate: rsaCert, chain: [ca.issuingDer] }),
      software.signer,
      openPkcs11Signer({ module: token.module, token: token.label, keyLabel: "seal-ec", pin: token.pin, certificate: ecCert, chain: [ca.issuingDer] }),
    ]
    expect(signers.map((s) => s.algorithm)).toEqual(["RSA-PKCS1-SHA256", "ECDSA-P256-SHA256", "ECDSA-P256-SHA256"])
    const nss = nssDbTrusting(ca.files.rootCert)
    let pdf = await cjkPdf(2)
    for (const [i, s] of signers.entries()) {
      pdf = concatParts((await runSigning(signPdf(pdf, { reason: "PKCS#11" }, s))).parts)
      expectValidators(pdf, i + 1, { nss, rootPem: ca.files.rootCert, name: `pkcs11-${i + 1}` })
    }
    const report = await runSigning(verifyPdf(pdf, { trust: [ca.rootDer] }))
    expect(report.valid, JSON.stringify(report, null, 1)).toBe(true)
  })


  it("closes its session: no leak across 50 signatures (explicit close and scoped form)", async () => {
    const store = makePkcs11KeyStore(openToken(token.module, token.label, token.pin))
    const spki = await Effect.runPromise(store.generate("leak-ec", "EC-P256"))
    const certificate = await Effect.runPromise(issueSigningCertificate(ca, { kind: "person", name: "会话" }, spki))
    const o = { module: token.module, token: token.label, keyLabel: "leak-ec", pin: token.pin, certificate, chain: [] }
    // SoftHSM reports no session count (CK_UNAVAILABLE_INFORMATION): check every signer's own session instead.
    const sessions: Array<string> = []
    const held = openPkcs11Signer(o)
    expect(isSessionOpen(token.module, held.session)).toBe(true) // the check sees an open session
    held.close()
    held.close() // idempotent
    expect(isSessionOpen(token.module, held.session)).toBe(false)
    const data = new TextEncoder().encode("signed attributes")
    for (let i = 0; i < 25; i++) {
      const signer = openPkcs11Signer(o)
      sessions.push(signer.session)
      try {
        expect((await Effect.runPromise(signer.sign(data))).length).toBeGreaterThan(60)
      } finally {
        signer.close()
      }
      await Effect.runPromise(Effect.scoped(Effect.flatMap(pkcs11Signer(o), (s) => {
        sessions.push(s.session)
        expect(isSessionOpen(token.module, s.session)).toBe(true)
        return s.sign(data)
      })))
    }
    expect(sessions).toHaveLength(50)
    expect(sessions.filter((h) => isSessionOpen(token.module, h))).toEqual([])
  })

  it("refuses a wrong PIN even while another session of this process is logged in", () => {
    const first = openToken(token.module, token.label, token.pin)
    try {
      expect(() => openToken(token.module, token.label, "0000")).toThrow(/PIN_INCORRECT/)
      expect(() => openPkcs11Signer({ module: token.module, token: token.label, keyLabel: "seal-ec", pin: "9999", certificate: new Uint8Array(), chain: [] })).toThrow(/PIN_INCORRECT/)
      const second = openToken(token.module, token.label, token.pin)
      expect(second.publicKey("seal-ec")).toBeDefined()
      second.close()
    } finally {
      first.close()
    }
  })

  it("`signet pdf sign --pkcs11-module` works as a real process (Node's ESM loader, not vitest's)", async () => {
    const dir = tempDir("signet-p11-cli-")
    const spki = await Effect.runPromise(makePkcs11KeyStore(openToken(token.module, token.label, token.pin)).publicKey("person-rsa"))
    const cert = await Effect.runPromise(issueSigningCertificate(ca, { kind: "person", name: "命令行令牌" }, spki))
    writeFileSync(join(dir, "cert.pem"), toPem(cert, "CERTIFICATE"))
    writeFileSync(join(dir, "chain.pem"), toPem(ca.issuingDer, "CERTIFICATE"))
    writeFileSync(join(dir, "in.pdf"), await cjkPdf(1))
    const r = spawnSync(process.execPath, ["bin/signet.js", "pdf", "sign", "--in", join(dir, "in.pdf"), "--out", join(dir, "out.pdf"), "--cert", join(dir, "cert.pem"), "--chain", join(dir, "chain.pem"),
      "--pkcs11-module", token.module, "--token", token.label, "--key-label", "person-rsa", "--pin", token.pin], { encoding: "utf8", env: process.env })
    expect(r.status, r.stderr + r.stdout).toBe(0)
    const sig = pdfsig(join(dir, "out.pdf"), nssDbTrusting(ca.files.rootCert))
    expect(sig.blocks.map((b) => b.valid), sig.raw).toEqual([true])
  })
})
