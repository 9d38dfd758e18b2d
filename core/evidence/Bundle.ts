import { Schema } from "effect"
import { COMMITTED_FIELDS } from "./Event.ts"

export const BUNDLE_FORMAT = "signet-evidence-bundle/1"

const Hex32 = Schema.String.pipe(Schema.check(Schema.isPattern(/^[0-9a-f]{64}$/, { message: "evidence.hex" })))

/**
 * Everything a third party needs to check a subject's history without our
 * database: the events (canonical text) with their log positions and
 * inclusion proofs, the signed checkpoint they are proven against, its RFC
 * 3161 token, the log's verifier key, and the openings of the commitments the
 * requester may see.
 */
export const Bundle = Schema.Struct({
  format: Schema.Literal(BUNDLE_FORMAT),
  subject: Schema.String,
  /** C2SP verifier key of the log ("name+hash+base64"). Pin it with `--log-key` rather than trusting this copy. */
  logKey: Schema.String,
  checkpoint: Schema.Struct({
    /** C2SP signed note holding a tlog-checkpoint. */
    note: Schema.String,
    /** RFC 3161 TimeStampToken over SHA-256 of `note`, base64. */
    timestamp: Schema.NullOr(Schema.String),
    /** Witnesses' cosignatures of the note's checkpoint (C2SP cosignature/v1 signature lines), kept apart so the token still covers `note` as issued. */
    cosignatures: Schema.optionalKey(Schema.Array(Schema.String)),
  }),
  /** C2SP verifier keys of the witnesses that cosigned. Pin them with `--witness-key` rather than trusting these copies. */
  witnesses: Schema.optionalKey(Schema.Array(Schema.String)),
  events: Schema.Array(Schema.Struct({
    /** Leaf index in the log. */
    index: Schema.Int,
    /** Canonical JSON of the event, exactly as logged. */
    body: Schema.String,
    /** Inclusion proof to the checkpoint's tree, hex hashes leaf to root. */
    proof: Schema.Array(Hex32),
    openings: Schema.Array(Schema.Struct({ field: Schema.Literals(COMMITTED_FIELDS), salt: Schema.String, value: Schema.String })),
  })),
  /**
   * The log's signed statement of how long the history is: a C2SP signed note
   * "signet-bundle/v1", subject, number of events, SHA-256 of the last one,
   * checkpoint size. Without it, cutting events off the end of a bundle would
   * leave a shorter history that still verifies.
   */
  statement: Schema.optionalKey(Schema.String),
  /** The document the subject's history is about (a contract's signed PDF), when there is one. */
  document: Schema.optionalKey(Schema.Struct({ sha256: Hex32, sm3: Schema.optionalKey(Hex32) })),
  exportedAt: Schema.Int,
})
export type Bundle = typeof Bundle.Type
