/**
 * Witnesses (C2SP tlog-cosignature, Ed25519 "cosignature/v1"): independent
 * parties that check our log only grows and cosign its checkpoints. A
 * cosignature is a signed-note line "— name base64(keyID || timestamp ||
 * signature)", keyID = SHA-256(name || "\n" || 0x04 || publicKey)[:4], the
 * signature over "cosignature/v1\ntime <timestamp>\n" followed by the
 * checkpoint text. A verifier holding a quorum of witnesses' keys knows the
 * log showed them all the same tree: a split view would need them to collude.
 */
import { Clock, Effect, Option, Result } from "effect"
import { Base64, Hex } from "effect/encoding"
import { sha256 } from "../crypto/sha256.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { Witnesses } from "../ports/Witnesses.ts"
import { CheckpointNotIssued, CosignatureInvalid, WitnessUnknown } from "./EvidenceErrors.ts"
import { parseCheckpoint, parseNote, verifyEd25519 } from "./note.ts"

const COSIGNATURE_V1 = 0x04
const utf8 = (s: string) => new TextEncoder().encode(s)
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i])

export interface WitnessKey {
  readonly name: string
  readonly keyHash: Uint8Array
  readonly publicKey: Uint8Array
}

export const witnessKeyOf = (name: string, publicKey: Uint8Array): WitnessKey => ({
  name, publicKey, keyHash: sha256(utf8(`${name}\n`), new Uint8Array([COSIGNATURE_V1]), publicKey).slice(0, 4),
})

/** The witness's verifier key as C2SP writes it: "name+hexKeyID+base64(0x04 || publicKey)". */
export const formatWitnessKey = (key: WitnessKey): string =>
  `${key.name}+${Hex.encode(key.keyHash)}+${Base64.encode(new Uint8Array([COSIGNATURE_V1, ...key.publicKey]))}`

export const parseWitnessKey = (text: string): Result.Result<WitnessKey, string> => {
  const m = /^([^\s+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim())
  if (m === null) return Result.fail(`"${text}" is not a witness key (name+keyid+base64)`)
  const raw = Base64.decode(m[3]!)
  if (Result.isFailure(raw) || raw.success.length !== 33 || raw.success[0] !== COSIGNATURE_V1) return Result.fail(`"${m[1]}" is not an Ed25519 cosignature/v1 key`)
  const key = witnessKeyOf(m[1]!, raw.success.slice(1))
  return Hex.encode(key.keyHash) === m[2] ? Result.succeed(key) : Result.fail(`the key ID of "${m[1]}" does not match its name and key`)
}

/** What a witness signs for a checkpoint at a time (POSIX seconds). */
export const cosignedMessage = (checkpointText: string, timestamp: number): Uint8Array =>
  utf8(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`)

export interface Cosignature {
  readonly name: string
  readonly keyHash: Uint8Array
  readonly timestamp: number
  readonly signature: Uint8Array
}

/** A note signature line holding a cosignature/v1 (72 bytes after the key ID: 8-byte big-endian time, 64-byte signature). */
export const parseCosignatureLine = (line: string): Result.Result<Cosignature, string> => {
  const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line.trim())
  const raw = m === null ? undefined : Base64.decode(m[2]!)
  if (m === null || raw === undefined || Result.isFailure(raw)) return Result.fail("not a signed-note signature line (— name base64)")
  if (raw.success.length !== 4 + 8 + 64) return Result.fail("not an Ed25519 cosignature (key ID, timestamp and signature are 76 bytes)")
  const view = new DataView(raw.success.buffer, raw.success.byteOffset + 4, 8)
  const timestamp = view.getUint32(0) * 2 ** 32 + view.getUint32(4)
  if (!Number.isSafeInteger(timestamp)) return Result.fail("cosignature timestamp out of range")
  return Result.succeed({ name: m[1]!, keyHash: raw.success.slice(0, 4), timestamp, signature: raw.success.slice(12) })
}

export const formatCosignatureLine = (c: Cosignature): string => {
  const raw = new Uint8Array(4 + 8 + 64)
  raw.set(c.keyHash)
  const view = new DataView(raw.buffer, 4, 8)
  view.setUint32(0, Math.floor(c.timestamp / 2 ** 32))
  view.setUint32(4, c.timestamp >>> 0)
  raw.set(c.signature, 12)
  return `\u2014 ${c.name} ${Base64.encode(raw)}`
}

/** Does `line` hold a valid cosignature of `checkpointText` by `key`? */
export const verifyCosignature = (key: WitnessKey, checkpointText: string, line: string) =>
  Effect.gen(function*() {
    const c = parseCosignatureLine(line)
    if (Result.isFailure(c)) return Result.fail(c.failure)
    if (c.success.name !== key.name || !sameBytes(c.success.keyHash, key.keyHash)) return Result.fail(`the line is not by ${key.name}'s key`)
    const ok = yield* verifyEd25519(key.publicKey, cosignedMessage(checkpointText, c.success.timestamp), c.success.signature)
    return ok ? Result.succeed(c.success) : Result.fail(`${key.name}'s cosignature does not verify`)
  })

/** How far ahead of our clock a witness's timestamp may be. */
const FUTURE_SLACK_S = 300

/**
 * Takes a witness's cosignature of one of our checkpoints: the witness must
 * be configured, the checkpoint text must be exactly one we issued, and the
 * signature must verify. Stored once per witness and checkpoint; later
 * bundles carry it.
 */
export const acceptCosignature = Effect.fn("evidence.acceptCosignature")(function*(checkpoint: string, line: string) {
  const witnesses = (yield* Witnesses).keys
  const store = yield* EvidenceStore
  const parsed = parseCosignatureLine(line)
  if (Result.isFailure(parsed)) return yield* new CosignatureInvalid({ reason: parsed.failure })
  const witness = witnesses.find((w) => w.name === parsed.success.name && sameBytes(w.keyHash, parsed.success.keyHash))
  if (witness === undefined) return yield* new WitnessUnknown({ name: parsed.success.name })
  // The witness may send the bare checkpoint or the whole signed note: what counts is its text.
  const note = parseNote(checkpoint)
  const text = Result.isSuccess(note) ? note.success.text : checkpoint
  const cp = parseCheckpoint(text)
  if (Result.isFailure(cp)) return yield* new CosignatureInvalid({ reason: cp.failure })
  const ours = yield* store.checkpointAt(cp.success.size)
  const ourText = Option.map(ours, (o) => Result.map(parseNote(o.note), (n) => n.text))
  if (Option.isNone(ourText) || Result.isFailure(ourText.value) || ourText.value.success !== text) {
    return yield* new CheckpointNotIssued({ size: cp.success.size })
  }
  const verified = yield* verifyCosignature(witness, text, line)
  if (Result.isFailure(verified)) return yield* new CosignatureInvalid({ reason: verified.failure })
  const now = yield* Clock.currentTimeMillis
  if (verified.success.timestamp > now / 1000 + FUTURE_SLACK_S) return yield* new CosignatureInvalid({ reason: "the cosignature is dated in the future" })
  const stored = yield* store.saveCosignature({ size: cp.success.size, witness: witness.name, line: line.trim(), createdAt: now })
  return { size: cp.success.size, witness: witness.name, stored }
})
