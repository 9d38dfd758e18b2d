import { Clock, Effect, Option } from "effect"
import { Base64, Hex } from "effect/encoding"
import { Crypto } from "../ports/Crypto.ts"
import { EvidenceStore, type StoredCheckpoint } from "../ports/EvidenceStore.ts"
import { NoteSigner } from "../ports/NoteSigner.ts"
import { TreeStore } from "../ports/TreeStore.ts"
import { Tsa } from "../ports/Tsa.ts"
import { Anchor } from "../ports/Anchor.ts"
import { checkpointText, formatNote, formatVerifierKey, keyHashOf, verifierKeyOf } from "./note.ts"
import { NoCheckpoint } from "./EvidenceErrors.ts"
import { sequenceAll } from "./sequence.ts"
import { treeRoot } from "./tree.ts"

const encoder = new TextEncoder()
const utf8 = (s: string) => encoder.encode(s)

/** The log's verifier key ("name+hash+base64"), as verifiers and bundles carry it. */
export const logVerifierKey = Effect.gen(function*() {
  const signer = yield* NoteSigner
  return formatVerifierKey(verifierKeyOf((yield* Crypto).sha256, signer.name, signer.publicKey))
})

/** A signed note over `text` by the log key. */
export const signNote = Effect.fn("evidence.signNote")(function*(text: string) {
  const signer = yield* NoteSigner
  const { sha256 } = yield* Crypto
  const signature = yield* signer.sign(utf8(text))
  return formatNote(text, [{ name: signer.name, keyHash: keyHashOf(sha256, signer.name, signer.publicKey), signature }])
})

/**
 * Signs a checkpoint of the log as it stands (unless the latest one already
 * covers every leaf) and has the signed note timestamped by the TSA when one
 * is configured. A TSA that does not answer leaves the checkpoint without a
 * token (reported in `timestampError`); the next checkpoint gets one.
 */
export const issueCheckpoint = Effect.fn("evidence.issueCheckpoint")(function*() {
  const store = yield* EvidenceStore
  const signer = yield* NoteSigner
  const { sha256 } = yield* Crypto
  const size = yield* (yield* TreeStore).size
  const latest = yield* store.latestCheckpoint
  if (Option.isSome(latest) && latest.value.size === size) return { checkpoint: latest.value, issued: false, timestampError: null, anchor: null }
  const root = yield* treeRoot(size)
  const note = yield* signNote(checkpointText(signer.name, size, root))
  const createdAt = yield* Clock.currentTimeMillis
  yield* store.saveCheckpoint({ size, root: Hex.encode(root), note, createdAt })
  const tsa = yield* Effect.serviceOption(Tsa)
  let timestamp: string | null = null
  let timestampError: string | null = null
  if (Option.isSome(tsa)) {
    const token = yield* Effect.result(tsa.value.timestamp(sha256(utf8(note))))
    if (token._tag === "Success") {
      timestamp = Base64.encode(token.success)
      yield* store.saveTimestamp(size, timestamp, yield* Clock.currentTimeMillis)
    } else timestampError = token.failure.reason
  }
  const checkpoint: StoredCheckpoint = { size, root: Hex.encode(root), note, timestamp, createdAt }
  // Anchoring is extra evidence: a failure is reported, never fatal.
  const anchor = yield* Effect.serviceOption(Anchor)
  const anchored = Option.isNone(anchor) ? null : yield* Effect.result(anchor.value.anchor(note, size))
  return {
    checkpoint, issued: true, timestampError,
    anchor: anchored === null ? null : anchored._tag === "Success" ? anchored.success.reference : `failed: ${anchored.failure.reason}`,
  }
})

/** Batching: everything queued enters the tree (in batches of `batch`), then one checkpoint covers it. */
export const publish = Effect.fn("evidence.publish")(function*(batch = 1000) {
  const sequenced = yield* sequenceAll(batch)
  return { sequenced, ...(yield* issueCheckpoint()) }
})

/** The latest checkpoint, or the one issued at `size` (verifiers fetch old ones to check for forks). */
export const getCheckpoint = Effect.fn("evidence.getCheckpoint")(function*(size?: number) {
  const store = yield* EvidenceStore
  const found = size === undefined ? yield* store.latestCheckpoint : yield* store.checkpointAt(size)
  if (Option.isNone(found)) return yield* new NoCheckpoint()
  return found.value
})
