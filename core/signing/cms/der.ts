/**
 * Minimal DER writer and reader for the per-signature CMS bytes. Building
 * the same structures through pkijs objects costs milliseconds per signature
 * (schema objects, re-parsing certificates); signing only needs a few
 * tag-length-value concatenations and the issuer/serial of its certificate.
 */
const lengthBytes = (n: number): ReadonlyArray<number> => {
  if (n < 0x80) return [n]
  const out: Array<number> = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff)
  return [0x80 | out.length, ...out]
}

/** One DER element: `tag`, definite length, then the parts' bytes. */
export const tlv = (tag: number, ...parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  const size = parts.reduce((n, p) => n + p.length, 0)
  const head = lengthBytes(size)
  const out = new Uint8Array(1 + head.length + size)
  out[0] = tag
  out.set(head, 1)
  let at = 1 + head.length
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

export const TAG = {
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
  set: 0x31,
  /** [n] constructed, context-specific. */
  context: (n: number) => 0xa0 | n,
} as const

export const sequence = (...parts: ReadonlyArray<Uint8Array>) => tlv(TAG.sequence, ...parts)
export const set = (...parts: ReadonlyArray<Uint8Array>) => tlv(TAG.set, ...parts)
export const octetString = (bytes: Uint8Array) => tlv(TAG.octetString, bytes)
export const smallInteger = (n: number) => tlv(TAG.integer, new Uint8Array([n]))

/** OBJECT IDENTIFIER from its dotted form. */
export const oid = (dotted: string): Uint8Array => {
  const arcs = dotted.split(".").map(Number)
  const [a = 0, b = 0, ...rest] = arcs
  const body: Array<number> = [a * 40 + b]
  for (const arc of rest) {
    const chunk: Array<number> = [arc & 0x7f]
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80)
    body.push(...chunk)
  }
  return tlv(TAG.oid, new Uint8Array(body))
}

export interface Element {
  readonly tag: number
  /** Offset of the tag byte. */
  readonly start: number
  /** Offset of the first content byte. */
  readonly contentStart: number
  /** Offset just past the element. */
  readonly end: number
}

const malformed = (reason: string) => new Error(`malformed DER: ${reason}`)

/** Reads the element at `at` (definite lengths only, as DER requires). */
export const readElement = (bytes: Uint8Array, at: number): Element => {
  const tag = bytes[at]
  const first = bytes[at + 1]
  if (tag === undefined || first === undefined) throw malformed(`truncated DER at ${at}`)
  let length = first
  let contentStart = at + 2
  if (first & 0x80) {
    const count = first & 0x7f
    if (count === 0 || count > 4) throw malformed(`unsupported DER length at ${at}`)
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[at + 2 + i] ?? 0)
    contentStart += count
  }
  const end = contentStart + length
  if (end > bytes.length) throw malformed(`DER element at ${at} runs past the end`)
  return { tag, start: at, contentStart, end }
}

export interface CertificateIds {
  /** DER of the issuer Name. */
  readonly issuer: Uint8Array
  /** DER of the serialNumber INTEGER. */
  readonly serialNumber: Uint8Array
}

/** Issuer and serial number of an X.509 certificate (views into `cert`). */
export const certificateIds = (cert: Uint8Array): CertificateIds => {
  const outer = readElement(cert, 0)
  const tbs = readElement(cert, outer.contentStart)
  if (outer.tag !== TAG.sequence || tbs.tag !== TAG.sequence) throw malformed("not an X.509 certificate")
  let field = readElement(cert, tbs.contentStart)
  if (field.tag === TAG.context(0)) field = readElement(cert, field.end) // [0] version
  if (field.tag !== TAG.integer) throw malformed("certificate has no serialNumber")
  const serial = field
  const signature = readElement(cert, serial.end)
  const issuer = readElement(cert, signature.end)
  if (issuer.tag !== TAG.sequence) throw malformed("certificate has no issuer Name")
  return { issuer: cert.subarray(issuer.start, issuer.end), serialNumber: cert.subarray(serial.start, serial.end) }
}

const compareBytes = (a: Uint8Array, b: Uint8Array): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return a.length - b.length
}

/** Elements of a DER SET OF, sorted by their encodings (X.690 11.6). */
export const sortedSetOf = (elements: ReadonlyArray<Uint8Array>): Array<Uint8Array> => [...elements].sort(compareBytes)
