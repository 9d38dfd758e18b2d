/**
 * Item 4 of issue 15: signatures and certificates made by OpenSSL with the
 * algorithms Signet does not itself sign with. Supported ones verify in
 * Signet as in pdfsig; unsupported ones (SM2/SM3, SHA-1 by policy) are
 * reported as "unsupported algorithm X", never as changed bytes.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import { opensslPki, opensslSign, type KeyType } from "../../../fixtures/signing/openssl.ts"
import { runSigning } from "../../../fixtures/signing/run.ts"
import { nssDbTrusting, pdfsig } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import { verifyPdf } from "./verifyPdf.ts"

const ok = requireTools("verifier algorithms", "openssl", "pdfsig", "certutil")

interface Case {
  readonly rootType: KeyType
  readonly rootMd: string
  readonly leafType: KeyType
  readonly leafMd: string
  readonly md: string
  readonly algorithm: string
}

const supported: ReadonlyArray<Case> = [
  { rootType: "rsa", rootMd: "sha384", leafType: "rsa", leafMd: "sha512", md: "sha384", algorithm: "RSA-PKCS1-SHA384" },
  { rootType: "rsa", rootMd: "sha512", leafType: "rsa", leafMd: "sha384", md: "sha512", algorithm: "RSA-PKCS1-SHA512" },
  { rootType: "rsa-pss", rootMd: "sha512", leafType: "rsa-pss", leafMd: "sha384", md: "sha384", algorithm: "RSA-PSS-SHA384" },
  { rootType: "rsa-pss", rootMd: "sha256", leafType: "rsa-pss", leafMd: "sha256", md: "sha512", algorithm: "RSA-PSS-SHA512" },
  { rootType: "P-384", rootMd: "sha384", leafType: "P-384", leafMd: "sha384", md: "sha384", algorithm: "ECDSA-P384-SHA384" },
  { rootType: "P-521", rootMd: "sha512", leafType: "P-384", leafMd: "sha512", md: "sha512", algorithm: "ECDSA-P384-SHA512" },
  { rootType: "P-384", rootMd: "sha384", leafType: "P-521", leafMd: "sha384", md: "sha512", algorithm: "ECDSA-P521-SHA512" },
  { rootType: "P-256", rootMd: "sha256", leafType: "P-256", leafMd: "sha256", md: "sha384", algorithm: "ECDSA-P256-SHA384" },
]

const signedBy = async (c: Omit<Case, "algorithm">) => {
  const pki = opensslPki(c)
  const pdf = await opensslSign(await classicPdf(1), pki, c.md)
  const file = join(pki.dir, "signed.pdf")
  writeFileSync(file, pdf)
  return { pki, pdf, file }
}

describe.skipIf(!ok)("verifier algorithms (OpenSSL-made signatures and CA certificates)", () => {
  it.each(supported)("$algorithm (root $rootType/$rootMd, leaf $leafType/$leafMd): valid and trusted in Signet and pdfsig", async (c) => {
    const { pki, pdf, file } = await signedBy(c)
    const sig = pdfsig(file, nssDbTrusting(pki.rootPem))
    expect(sig.blocks.map((b) => [b.valid, b.certificate]), sig.raw).toEqual([[true, "Certificate is Trusted."]])
    const report = await runSigning(verifyPdf(pdf, { trust: [pki.rootDer] }))
    const [s] = report.signatures
    expect(s?.algorithm).toBe(c.algorithm)
    expect(s?.unsupportedAlgorithm).toBeUndefined()
    expect(Object.entries(s?.checks ?? {}).filter(([, x]) => x && !x.ok)).toEqual([])
    expect(report.valid).toBe(true)
    // The same file with one signed byte changed: now, and only now, "changed".
    const tampered = new Uint8Array(pdf)
    tampered[20] = (tampered[20] ?? 0) ^ 0x01
    const bad = (await runSigning(verifyPdf(tampered, { trust: [pki.rootDer] }))).signatures[0]
    expect(bad?.checks.digest.detail).toBe("digest mismatch: the signed bytes were changed")
  }, 60_000)

  it.each([
    { label: "SM2 with SM3", c: { rootType: "sm2", rootMd: "sm3", leafType: "sm2", leafMd: "sm3", md: "sm3" } as const, name: "SM3", detail: "unsupported algorithm SM3" },
    { label: "SHA-1 (policy)", c: { rootType: "rsa", rootMd: "sha256", leafType: "rsa", leafMd: "sha256", md: "sha1" } as const, name: "SHA-1", detail: "unsupported algorithm SHA-1 (refused by policy)" },
  ])("$label: unsupported algorithm, not changed bytes, not a forged signature, not valid", async ({ c, name, detail }) => {
    const { pki, pdf } = await signedBy(c)
    const report = await runSigning(verifyPdf(pdf, { trust: [pki.rootDer] }))
    const [s] = report.signatures
    expect(s?.unsupportedAlgorithm).toBe(name)
    expect(s?.checks.digest.detail).toBe(`not checked: ${detail}`)
    expect(s?.checks.signature.detail).not.toContain("does not verify")
    // An SM2 certificate cannot be checked either; the RSA one chains as usual.
    expect(s?.checks.chain.detail).toMatch(name === "SM3" ? /unsupported algorithm SM2/ : /^trusted/)
    expect(report.valid).toBe(false)
  }, 60_000)

  it("a CA certificate signed with SHA-1 under a trusted root: the chain says unsupported algorithm, not untrusted issuer", async () => {
    const { pki, pdf } = await signedBy({ rootType: "P-256", rootMd: "sha256", leafType: "P-256", leafMd: "sha1", md: "sha256" })
    const [s] = (await runSigning(verifyPdf(pdf, { trust: [pki.rootDer] }))).signatures
    expect(s?.checks.digest.ok).toBe(true)
    expect(s?.checks.signature.ok).toBe(true)
    expect(s?.checks.chain.detail).toBe("unsupported algorithm ECDSA-SHA1 (refused by policy) in the certificate of CN=OpenSSL P-256 signer")
    expect(s?.unsupportedAlgorithm).toBe("ECDSA-SHA1")
  }, 60_000)
})
