/** PEM <-> DER for certificates and keys. */
export const pemBlocks = (pem: string, label?: string): Array<Uint8Array> => {
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g
  const out: Array<Uint8Array> = []
  for (const m of pem.matchAll(re)) {
    if (label !== undefined && m[1] !== label) continue
    out.push(new Uint8Array(Buffer.from((m[2] ?? "").replace(/\s+/g, ""), "base64")))
  }
  return out
}

export const toPem = (der: Uint8Array, label: string): string => {
  const b64 = Buffer.from(der).toString("base64")
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, "$&\n")}-----END ${label}-----\n`
}
