/** Byte-level checks shared by every context and app: a file is what its first bytes say, never its name. */

/** True when `bytes` begins with `signature` (bytes, or an ASCII string such as "%PDF-"). */
export const startsWithBytes = (bytes: Uint8Array, signature: ReadonlyArray<number> | string): boolean => {
  const sig = typeof signature === "string" ? Array.from(signature, (ch) => ch.charCodeAt(0)) : signature
  return bytes.length >= sig.length && sig.every((x, i) => bytes[i] === x)
}

/** A PDF by its magic bytes ("%PDF-"); whether the signing engine can read it is checked later, off the request thread. */
export const isPdf = (bytes: Uint8Array): boolean => startsWithBytes(bytes, "%PDF-")

export const MIB = 1024 * 1024
