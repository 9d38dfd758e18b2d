import { Effect } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { issueSigningCertificate, type SoftwareCa } from "../ca/index.ts"
import { signPdf } from "../../core/signing/signPdf.ts"
import { verifyPdf } from "../../core/signing/verify/verifyPdf.ts"
import { cjkPdf } from "../../fixtures/pdfs/generate.ts"
import { openTestCa, testSigner } from "../../fixtures/signing/pki.ts"
import { concatParts, runSigning } from "../../fixtures/signing/run.ts"
import { initSoftHsmToken, SOFTHSM_MODULE } from "../../fixtures/signing/softhsm.ts"
import { expectValidators, nssDbTrusting } from "../../fixtures/signing/validators.ts"
import { requireTools } from "../../fixtures/tools.ts"
import { makePkcs11KeyStore, openPkcs11Signer, openToken } from "./index.ts"

const ok = requireTools("PKCS#11 (SoftHSM2)", "softhsm2-util", SOFTHSM_MODULE, "pdfsig", "qpdf", "mutool", "openssl", "certutil")

describe.skipIf(!ok)("PKCS#11 key store on SoftHSM2", () => {
  let ca: SoftwareCa
  let token: { module: string; label: string; pin: string }
  beforeAll(async () => {
    token = initSoftHsmToken("usb-key-1")
    ca = await openTestCa()
  })

  // First: once the application is logged in, PKCS#11 shares the login across sessions.
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

})
