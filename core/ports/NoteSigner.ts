import { Context, type Effect } from "effect"
import type { CheckpointSigningFailed } from "../evidence/EvidenceErrors.ts"

/**
 * The log's Ed25519 key, held by an adapter (encrypted at rest); core sees
 * only its name, its public key and the signing operation.
 */
export interface NoteSignerShape {
  /** Key name = checkpoint origin, e.g. "signet.example/evidence". */
  readonly name: string
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array
  /** Pure Ed25519 signature (64 bytes) over `message`. */
  readonly sign: (message: Uint8Array) => Effect.Effect<Uint8Array, CheckpointSigningFailed>
}

export class NoteSigner extends Context.Service<NoteSigner, NoteSignerShape>()("core/ports/NoteSigner") {}
