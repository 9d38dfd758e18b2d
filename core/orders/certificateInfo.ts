import { Base64 } from "effect/encoding"
import { Result } from "effect"
import * as pkijs from "pkijs"

/** What the buyer's order page says about the certificate on their USB-Key. */
export interface CertificateInfo {
  readonly serialHex: string
  readonly notBefore: number
  readonly notAfter: number
  /** The issuing CA's name (CN, else O). */
  readonly issuer: string
  /** Whom it names (CN). */
  readonly subject: string
  readonly der: Uint8Array
}

const OID_CN = "2.5.4.3"
const OID_O = "2.5.4.10"
const nameOf = (n: pkijs.RelativeDistinguishedNames) => {
  const value = (oid: string) => n.typesAndValues.find((tv) => tv.type === oid)?.value.valueBlock.value as string | undefined
  return value(OID_CN) ?? value(OID_O) ?? ""
}

/** Reads the stored certificate (base64 DER); null when the order has none or it does not parse. */
export const certificateInfo = (derBase64: string | null): CertificateInfo | null => {
  if (derBase64 === null) return null
  const der = Base64.decode(derBase64)
  if (Result.isFailure(der)) return null
  try {
    const c = pkijs.Certificate.fromBER(new Uint8Array(der.success))
    const serial = Array.from(new Uint8Array(c.serialNumber.valueBlock.valueHexView), (b) => b.toString(16).padStart(2, "0")).join("")
    return { serialHex: serial, notBefore: c.notBefore.value.getTime(), notAfter: c.notAfter.value.getTime(), issuer: nameOf(c.issuer), subject: nameOf(c.subject), der: der.success }
  } catch {
    return null
  }
}
