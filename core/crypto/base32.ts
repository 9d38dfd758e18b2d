/** RFC 4648 base32 alphabet (otpauth:// secrets). */
export const RFC4648_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

/** Base32 without padding over `alphabet` (32 characters); a last partial group is padded with zero bits. */
export const base32 = (bytes: Uint8Array, alphabet: string = RFC4648_BASE32): string => {
  let out = ""
  let value = 0
  let bits = 0
  for (const b of bytes) {
    value = ((value << 8) | b) & 0xfff
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31]
  return out
}

/** The bytes of a base32 text over `alphabet` (unpadded; trailing partial bits dropped). */
export const fromBase32 = (text: string, alphabet: string = RFC4648_BASE32): Uint8Array => {
  const out: Array<number> = []
  let value = 0
  let bits = 0
  for (const ch of text) {
    const digit = alphabet.indexOf(ch)
    if (digit < 0) throw new Error(`not base32: ${ch}`)
    value = ((value << 5) | digit) & 0xfff
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return new Uint8Array(out)
}
