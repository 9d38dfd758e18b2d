/**
 * C2SP formats: `tlog-checkpoint` (origin, tree size, base64 root, optional
 * extension lines) inside a `signed-note` (text, blank line, one
 * "— name base64(keyhash || signature)" line per signer), with Ed25519 keys
 * written as verifier keys "name+hexhash+base64(0x01 || publicKey)".
 */
import { Effect, Result } from "effect"
import { Base64, Hex } from "effect/encoding"
import { WebCrypto } from "../ports/WebCrypto.ts"
import type { Sha256 } from "./merkle.ts"

const ED25519 = 0x01
const utf8 = (s: string) => new TextEncoder().encode(s)
const SIG_PREFIX = "\u2014 "

export interface VerifierKey {
  readonly name: string
  /** First 4 bytes of SHA-256(name || "\n" || 0x01 || publicKey). */
  readonly keyHash: Uint8Array
  readonly publicKey: Uint8Array
}

export interface Checkpoint {
  readonly origin: string
  readonly size: number
  readonly root: Uint8Array
  readonly extensions: ReadonlyArray<string>
}

export interface NoteSignature {
  readonly name: string
  readonly keyHash: Uint8Array
  readonly signature: Uint8Array
}

const validName = (name: string) => name.length > 0 && !/[\s+]/.test(name)

export const keyHashOf = (sha256: Sha256, name: string, publicKey: Uint8Array): Uint8Array =>
  sha256(utf8(`${name}\n`), new Uint8Array([ED25519]), publicKey).slice(0, 4)

export const verifierKeyOf = (sha256: Sha256, name: string, publicKey: Uint8Array): VerifierKey => ({
  name, publicKey, keyHash: keyHashOf(sha256, name, publicKey),
})

export const formatVerifierKey = (key: VerifierKey): string =>
  `${key.name}+${Hex.encode(key.keyHash)}+${Base64.encode(new Uint8Array([ED25519, ...key.publicKey]))}`

export const parseVerifierKey = (sha256: Sha256, text: string): Result.Result<VerifierKey, string> => {
  const m = /^([^\s+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim())
  if (m === null) return Result.fail("not a verifier key (name+hash+base64)")
  const raw = Base64.decode(m[3]!)
  if (Result.isFailure(raw) || raw.success.length !== 33 || raw.success[0] !== ED25519) return Result.fail("not an Ed25519 verifier key")
  const key = verifierKeyOf(sha256, m[1]!, raw.success.slice(1))
  return Hex.encode(key.keyHash) === m[2] ? Result.succeed(key) : Result.fail("verifier key hash does not match its name and key")
}

export const checkpointText = (origin: string, size: number, root: Uint8Array): string => `${origin}\n${size}\n${Base64.encode(root)}\n`

/** The text of a bundle's history statement (see Bundle.statement). */
export const historyStatement = (subject: string, count: number, lastHash: string, checkpointSize: number): string =>
  `signet-bundle/v1\n${subject}\n${count}\n${lastHash}\n${checkpointSize}\n`

export const parseHistoryStatement = (text: string): Result.Result<{ subject: string; count: number; lastHash: string; checkpointSize: number }, string> => {
  const m = /^signet-bundle\/v1\n(\S+)\n(\d{1,9})\n([0-9a-f]{64})\n(\d{1,16})\n$/.exec(text)
  return m === null
    ? Result.fail("not a signet-bundle/v1 statement")
    : Result.succeed({ subject: m[1]!, count: Number(m[2]), lastHash: m[3]!, checkpointSize: Number(m[4]) })
}

export const parseCheckpoint = (text: string): Result.Result<Checkpoint, string> => {
  if (!text.endsWith("\n")) return Result.fail("checkpoint does not end with a newline")
  const lines = text.slice(0, -1).split("\n")
  const [origin, size, root, ...extensions] = lines
  if (origin === undefined || origin.length === 0) return Result.fail("checkpoint has no origin")
  if (size === undefined || !/^(0|[1-9]\d{0,15})$/.test(size) || !Number.isSafeInteger(Number(size))) return Result.fail("checkpoint size is not a decimal number")
  const decoded = root === undefined ? undefined : Base64.decode(root)
  if (decoded === undefined || Result.isFailure(decoded) || decoded.success.length !== 32) return Result.fail("checkpoint root is not 32 bytes of base64")
  if (extensions.some((e) => e.length === 0)) return Result.fail("checkpoint has an empty line")
  return Result.succeed({ origin, size: Number(size), root: decoded.success, extensions })
}

export const formatNote = (text: string, signatures: ReadonlyArray<NoteSignature>): string =>
  `${text}\n${signatures.map((s) => `${SIG_PREFIX}${s.name} ${Base64.encode(new Uint8Array([...s.keyHash, ...s.signature]))}\n`).join("")}`

/** Splits a signed note into its text and signature lines (not yet verified). */
export const parseNote = (note: string): Result.Result<{ readonly text: string; readonly signatures: ReadonlyArray<NoteSignature> }, string> => {
  const split = note.lastIndexOf("\n\n")
  if (split < 0 || !note.endsWith("\n")) return Result.fail("not a signed note (no blank line before the signatures)")
  const text = note.slice(0, split + 1)
  const signatures: Array<NoteSignature> = []
  for (const line of note.slice(split + 2, -1).split("\n")) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line)
    const raw = m === null ? undefined : Base64.decode(m[2]!)
    if (m === null || raw === undefined || Result.isFailure(raw) || raw.success.length < 5) return Result.fail(`malformed signature line "${line}"`)
    signatures.push({ name: m[1]!, keyHash: raw.success.slice(0, 4), signature: raw.success.slice(4) })
  }
  if (signatures.length === 0) return Result.fail("signed note has no signatures")
  return Result.succeed({ text, signatures })
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i])

/** Ed25519 verification through WebCrypto (Node and Deno both provide it). */
export const verifyEd25519 = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) =>
  WebCrypto.use(({ crypto }) =>
    Effect.promise(() =>
      crypto.subtle.importKey("raw", new Uint8Array(publicKey), { name: "Ed25519" }, false, ["verify"])
        .then((key) => crypto.subtle.verify({ name: "Ed25519" }, key, new Uint8Array(signature), new Uint8Array(message)))
        .catch(() => false)
    ))

/**
 * Verifies a signed note against the keys the verifier trusts. Signatures by
 * unknown keys are ignored (witnesses may cosign); a signature by a trusted
 * key that does not verify is an error, and at least one trusted key must
 * have signed.
 */
export const verifyNote = (note: string, trusted: ReadonlyArray<VerifierKey>) =>
  Effect.gen(function*() {
    const parsed = parseNote(note)
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure)
    const verifiedBy: Array<string> = []
    for (const sig of parsed.success.signatures) {
      const key = trusted.find((k) => k.name === sig.name && sameBytes(k.keyHash, sig.keyHash))
      if (key === undefined) continue
      if (sig.signature.length !== 64 || !(yield* verifyEd25519(key.publicKey, utf8(parsed.success.text), sig.signature))) {
        return Result.fail(`signature by ${sig.name} does not verify`)
      }
      verifiedBy.push(sig.name)
    }
    if (verifiedBy.length === 0) return Result.fail("no signature by a trusted key")
    return Result.succeed({ text: parsed.success.text, verifiedBy })
  })
