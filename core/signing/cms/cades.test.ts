/**
 * The hand-written DER must be exactly what pkijs encodes for the same CMS
 * (the construction the engine used before), for every algorithm, with and
 * without a timestamp token, for RSA and EC signer certificates.
 */
import { execFileSync } from "node:child_process"
import { createHash, randomBytes } from "node:crypto"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as asn1js from "asn1js"
import * as pkijs from "pkijs"
import { beforeAll, describe, expect, it } from "vitest"
import type { SignatureAlgorithm } from "../../ports/Signer.ts"
import type { SoftwareCa } from "../../../adapters/ca/index.ts"
import { openTestCa, testSigner } from "../../../fixtures/signing/pki.ts"
import { tempDir } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import { toPem } from "../../../adapters/keys-software/index.ts"
import { signatureAlgorithmId } from "./algorithms.ts"
import { cmsDer, signedAttributesDer } from "./cades.ts"
import { certificateIds, oid, readElement } from "./der.ts"
import { OID } from "./oids.ts"
import { parseCertificate } from "./signedAttributes.ts"
import { pkijsCms } from "../../../fixtures/signing/pkijsCms.ts"

const sha256 = (b: Uint8Array) => new Uint8Array(createHash("sha256").update(b).digest())
const hex = (b: Uint8Array | ArrayBuffer) => Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b).toString("hex")

describe("CAdES DER", () => {
  let ca: SoftwareCa
  beforeAll(async () => {
    ca = await openTestCa()
  })

  for (const [keyType, algorithm] of [["rsa", "RSA-PKCS1-SHA256"], ["rsa-pss", "RSA-PSS-SHA256"], ["ec", "ECDSA-P256-SHA256"]] as const) {
    it(`equals the pkijs encoding (${algorithm}, with and without timestamp)`, async () => {
      const { signer } = await testSigner(ca, keyType)
      expect(signer.algorithm).toBe(algorithm)
      const digest = new Uint8Array(randomBytes(32))
      const signature = new Uint8Array(randomBytes(keyType === "ec" ? 71 : 256))
      const token = new Uint8Array(ca.rootDer) // any DER element stands in for a token here
      const attrs = signedAttributesDer(digest, signer.certificate, sha256(signer.certificate))
      for (const withToken of [false, true]) {
        const reference = pkijsCms({ algorithm, certificate: signer.certificate, chain: signer.chain, digest, signature, ...(withToken ? { token } : {}) })
        expect(hex(attrs.toBeSigned)).toBe(hex(reference.toBeSigned))
        const ours = cmsDer({ algorithm, certificate: signer.certificate, chain: signer.chain, signedAttributes: attrs, signature, timestampToken: withToken ? token : undefined })
        expect(hex(ours)).toBe(hex(reference.cms))
      }
    })
  }

  it("reads issuer and serial like pkijs, and encodes OIDs and long lengths", () => {
    const cert = parseCertificate(ca.rootDer)
    const ids = certificateIds(ca.rootDer)
    expect(hex(ids.issuer)).toBe(hex(cert.issuer.toSchema().toBER(false)))
    expect(hex(ids.serialNumber)).toBe(hex(cert.serialNumber.toBER(false)))
    expect(hex(oid(OID.signingCertificateV2))).toBe(hex(new asn1js.ObjectIdentifier({ value: OID.signingCertificateV2 }).toBER(false)))
    const big = new Uint8Array(70000)
    const e = readElement(new Uint8Array([0x04, 0x83, 0x01, 0x11, 0x70, ...big]), 0)
    expect([e.contentStart, e.end]).toEqual([5, 70005])
    expect(() => certificateIds(new Uint8Array([0x30, 0x05, 0x02]))).toThrow(/malformed DER/)
  })

  it("writes RFC 4055 RSASSA-PSS-params: SHA-256, MGF1-SHA256, salt 32, default trailer", () => {
    const params = new pkijs.RSASSAPSSParams({ schema: signatureAlgorithmId("RSA-PSS-SHA256").algorithmParams })
    expect(params.hashAlgorithm.algorithmId).toBe(OID.sha256)
    expect(params.maskGenAlgorithm.algorithmId).toBe(OID.mgf1)
    expect(new pkijs.AlgorithmIdentifier({ schema: params.maskGenAlgorithm.algorithmParams }).algorithmId).toBe(OID.sha256)
    expect(params.saltLength).toBe(32)
    expect(params.trailerField).toBe(1)
  })

  it.skipIf(!requireTools("RSA-PSS encoding vs OpenSSL", "openssl"))("writes the RSA-PSS AlgorithmIdentifier byte for byte as `openssl cms -sign` does", async () => {
    const { key, certificate } = await testSigner(ca, "rsa-pss")
    const dir = tempDir("signet-pss-")
    writeFileSync(join(dir, "key.pem"), key.export({ format: "pem", type: "pkcs8" }))
    writeFileSync(join(dir, "cert.pem"), toPem(certificate, "CERTIFICATE"))
    writeFileSync(join(dir, "data.bin"), "signed bytes")
    execFileSync("openssl", ["cms", "-sign", "-binary", "-in", join(dir, "data.bin"), "-signer", join(dir, "cert.pem"), "-inkey", join(dir, "key.pem"),
      "-md", "sha256", "-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:32", "-outform", "DER", "-out", join(dir, "cms.der")])
    const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(readFileSync(join(dir, "cms.der")))).content })
    const theirs = signedData.signerInfos[0]?.signatureAlgorithm.toSchema().toBER(false)
    expect(hex(theirs ?? new ArrayBuffer(0))).toBe(hex(signatureAlgorithmId("RSA-PSS-SHA256").toSchema().toBER(false)))
  })
})
