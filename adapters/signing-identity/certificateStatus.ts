import { Effect } from "effect"
import * as pkijs from "pkijs"
import { CertificateStatus, CertificateStatusUnavailable } from "../../core/ports/CertificateStatus.ts"
import { currentCrl, idNumberHash, type SoftwareCa } from "../ca/index.ts"

const hex = (b: ArrayBuffer | Uint8Array) => Buffer.from(new Uint8Array(b)).toString("hex")
const unavailable = (what: string) => (e: unknown) => new CertificateStatusUnavailable({ reason: `${what}: ${e instanceof Error ? e.message : String(e)}` })

/**
 * Certificate status from the platform CA: its CRL (the list 补办 and every
 * revocation republish) decides for certificates it issued; for another CA's
 * the platform holds no revocation data ("unknown": core/contracts/certificateOwner.ts then asks
 * that CA's OCSP responder or CRL). "Issued by the platform CA" means signed by its issuing key, not only named after it.
 * A person's serialNumber is the CA's keyed hash of the ID number.
 */
export const certificateStatusOn = (ca: SoftwareCa): CertificateStatus["Service"] => {
  const issuing = pkijs.Certificate.fromBER(new Uint8Array(ca.issuingDer))
  /** Issued by the platform's issuing CA: its name and its key (another CA may well use the same name). */
  const platformIssued = (certificate: Uint8Array) =>
    Effect.gen(function*() {
      const cert = yield* Effect.try({ try: () => pkijs.Certificate.fromBER(new Uint8Array(certificate)), catch: unavailable("certificate") })
      if (!cert.issuer.isEqual(issuing.subject)) return { cert, ours: false }
      const ours = yield* Effect.tryPromise({ try: () => cert.verify(issuing), catch: unavailable("certificate") }).pipe(Effect.orElseSucceed(() => false))
      return { cert, ours }
    })
  return {
    revocation: (certificate) =>
      Effect.gen(function*() {
        const { cert, ours } = yield* platformIssued(certificate)
        if (!ours) return { status: "unknown" as const, source: "签发机构未提供吊销列表" }
        const crlDer = yield* currentCrl(ca).pipe(Effect.mapError(unavailable("CRL")))
        // The CA publishes its CRL at the first revocation: none yet means none revoked.
        if (crlDer === undefined) return { status: "good" as const, source: "平台 CA（尚无吊销记录）" }
        const crl = yield* Effect.try({ try: () => pkijs.CertificateRevocationList.fromBER(new Uint8Array(crlDer)), catch: unavailable("CRL") })
        const serial = hex(cert.serialNumber.valueBlock.valueHexView)
        const entry = (crl.revokedCertificates ?? []).find((r) => hex(r.userCertificate.valueBlock.valueHexView) === serial)
        const source = `平台 CA 吊销列表（${crl.thisUpdate.value.toISOString()}）`
        return entry === undefined
          ? { status: "good" as const, source }
          : { status: "revoked" as const, source, revokedAt: entry.revocationDate.value.getTime() }
      }),
    issuersOf: (certificate) => Effect.map(platformIssued(certificate), ({ ours }) => (ours ? [ca.issuingDer, ca.rootDer] : [])),
    personSerials: (idNumber) =>
      idNumberHash(ca, idNumber).pipe(Effect.map((h) => [h, idNumber.trim().toUpperCase()]), Effect.mapError(unavailable("CA key"))),
  }
}
