/** Certificate path building to a configured trust list, with validity and key-usage checks. */
import * as asn1js from "asn1js"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import type { UnsupportedAlgorithm } from "../cms/algorithms.ts"
import { OID } from "../cms/oids.ts"
import { equalBytes } from "../pdf/bytes.ts"
import { verifySignature } from "./publicKeyVerify.ts"

export interface ChainResult {
  readonly trusted: boolean
  readonly path: ReadonlyArray<string>
  /** The certificates of `path`, leaf first (the last one a trust anchor when trusted). */
  readonly certs: ReadonlyArray<pkijs.Certificate>
  /** Set when an issuer could only be confirmed with an algorithm Signet does not verify. */
  readonly unsupported?: UnsupportedAlgorithm | undefined
  readonly problems: ReadonlyArray<string>
}

const ders = new WeakMap<pkijs.Certificate, Uint8Array>()

/** A certificate's DER, encoded once per parsed certificate (pkijs re-encodes on every toSchema). */
export const certificateDer = (c: pkijs.Certificate): Uint8Array => {
  let d = ders.get(c)
  if (!d) {
    d = new Uint8Array(c.toSchema(false).toBER(false))
    ders.set(c, d)
  }
  return d
}
const der = certificateDer

export const subjectText = (c: pkijs.Certificate): string =>
  c.subject.typesAndValues
    .map((tv) => {
      const short = { "2.5.4.3": "CN", "2.5.4.10": "O", "2.5.4.6": "C", "2.5.4.5": "serialNumber", "2.5.4.97": "organizationIdentifier", "2.5.4.11": "OU" }[tv.type] ?? tv.type
      return `${short}=${tv.value.valueBlock.value}`
    })
    .join(", ")

const extension = (c: pkijs.Certificate, oid: string) => c.extensions?.find((e) => e.extnID === oid)

/** Key usage bits of a certificate (first byte), or undefined when the extension is absent. */
export const keyUsageBits = (c: pkijs.Certificate): number | undefined => {
  const ext = extension(c, OID.keyUsage)
  if (!ext) return undefined
  const parsed = asn1js.fromBER(new Uint8Array(ext.extnValue.valueBlock.valueHexView))
  return parsed.result instanceof asn1js.BitString ? (new Uint8Array(parsed.result.valueBlock.valueHexView)[0] ?? 0) : 0
}

export const extendedKeyUsage = (c: pkijs.Certificate): { readonly oids: ReadonlyArray<string>; readonly critical: boolean } | undefined => {
  const ext = extension(c, OID.extKeyUsage)
  if (!ext) return undefined
  const parsed = asn1js.fromBER(new Uint8Array(ext.extnValue.valueBlock.valueHexView))
  const eku = new pkijs.ExtKeyUsage({ schema: parsed.result })
  return { oids: eku.keyPurposes, critical: ext.critical }
}

const isCa = (c: pkijs.Certificate): boolean => {
  const ext = extension(c, OID.basicConstraints)
  if (!ext) return false
  const bc = new pkijs.BasicConstraints({ schema: asn1js.fromBER(new Uint8Array(ext.extnValue.valueBlock.valueHexView)).result })
  return bc.cA === true
}

export const validAt = (c: pkijs.Certificate, at: Date) => c.notBefore.value <= at && at <= c.notAfter.value

export const buildChain = (
  crypto: Crypto,
  leaf: pkijs.Certificate,
  pool: ReadonlyArray<pkijs.Certificate>,
  trust: ReadonlyArray<pkijs.Certificate>,
  at: Date,
): Effect.Effect<ChainResult> =>
  Effect.gen(function* () {
    const problems: Array<string> = []
    const path: Array<string> = [subjectText(leaf)]
    const certs: Array<pkijs.Certificate> = [leaf]
    if (!validAt(leaf, at)) problems.push(`certificate not valid at ${at.toISOString()}`)
    const trustDer = trust.map(der)
    let current = leaf
    for (let depth = 0; depth < 8; depth++) {
      if (trustDer.some((t) => equalBytes(t, der(current)))) return { trusted: problems.length === 0, path, certs, problems }
      const candidates = [...trust, ...pool].filter((c) => c.subject.isEqual(current.issuer) && !equalBytes(der(c), der(current)))
      let next: pkijs.Certificate | undefined
      let unsupported: UnsupportedAlgorithm | undefined
      for (const c of candidates) {
        const ok = yield* verifySignature(crypto, c.subjectPublicKeyInfo, current.signatureAlgorithm, new Uint8Array(current.tbsView), new Uint8Array(current.signatureValue.valueBlock.valueHexView)).pipe(
          Effect.catch((u) => {
            unsupported ??= u
            return Effect.succeed(false)
          }),
        )
        if (ok) {
          next = c
          break
        }
      }
      if (!next && unsupported) {
        problems.push(`${unsupported.message} in the certificate of ${subjectText(current)}`)
        return { trusted: false, path, certs, unsupported, problems }
      }
      if (!next) {
        problems.push(`no trusted issuer found for ${subjectText(current)}`)
        return { trusted: false, path, certs, problems }
      }
      if (!isCa(next)) problems.push(`issuer ${subjectText(next)} is not a CA`)
      const ku = keyUsageBits(next)
      if (ku !== undefined && (ku & 0x04) === 0) problems.push(`issuer ${subjectText(next)} lacks keyCertSign`)
      if (!validAt(next, at)) problems.push(`issuer ${subjectText(next)} not valid at ${at.toISOString()}`)
      path.push(subjectText(next))
      certs.push(next)
      current = next
    }
    problems.push("certificate path too long")
    return { trusted: false, path, certs, problems }
  })
