import { Schema } from "effect"
import { NumericId } from "../kernel/Ids.ts"
import { Millis } from "../kernel/Millis.ts"

/** How long a prepared signature may be completed: long enough to find the key and type its PIN. */
export const PREPARED_SIGNATURE_TTL_MS = 10 * 60_000

/**
 * A signature prepared for a key the platform does not hold (a USB-Key, an
 * embedder's HSM): the party's revision with its placeholder is kept (blob
 * `preparedSha256`) until the signature value comes back. The contract is not
 * touched before completion; `baseSha256` is the version it was prepared on.
 */
export class PreparedExternalSignature extends Schema.Class<PreparedExternalSignature>("PreparedExternalSignature")({
  /** Unguessable (128 bits, hex): whoever completes must have prepared. */
  id: Schema.String,
  contractId: NumericId,
  partyIndex: Schema.Int,
  fieldName: Schema.String,
  /** `user:<id>` for a person in the portal, `api:<key id>` for a partner system. */
  actor: Schema.String,
  baseSha256: Schema.String,
  preparedSha256: Schema.String,
  /** Offsets of the /Contents gap ("<...>") in the prepared file. */
  contentsStart: Schema.Int,
  contentsEnd: Schema.Int,
  /** SHA-256 over the signed byte ranges (the CMS message-digest), hex. */
  contentDigest: Schema.String,
  /** The signer's certificate (DER, hex): the signed attributes name it. */
  certificate: Schema.String,
  createdAt: Millis,
  expiresAt: Millis,
  completedAt: Schema.NullOr(Millis),
}) {}

/** The prepared signature does not exist (or belongs to someone else). */
export class PreparedSignatureNotFound extends Schema.TaggedError<PreparedSignatureNotFound>()("PreparedSignatureNotFound", {}) {}

/** More than ten minutes passed between preparing and completing. */
export class PreparedSignatureExpired extends Schema.TaggedError<PreparedSignatureExpired>()("PreparedSignatureExpired", {}) {}

/** The prepared signature was completed already (a replay, or a second instance got there first). */
export class PreparedSignatureUsed extends Schema.TaggedError<PreparedSignatureUsed>()("PreparedSignatureUsed", {}) {}

/** The contract's document changed since preparing (another party signed first): the hash signed is no longer the file's. */
export class PreparedSignatureStale extends Schema.TaggedError<PreparedSignatureStale>()("PreparedSignatureStale", {}) {}

/** The certificate does not name the party (another person, another enterprise). */
export class CertificateNotOfParty extends Schema.TaggedError<CertificateNotOfParty>()("CertificateNotOfParty", {
  subject: Schema.String,
  party: Schema.String,
}) {}

/** The certificate's issuer revoked it (a reissue, a reported loss). */
export class CertificateRevoked extends Schema.TaggedError<CertificateRevoked>()("CertificateRevoked", {
  serialHex: Schema.String,
}) {}

/**
 * The certificate's status could not be confirmed: its CA (not the platform's) answered no OCSP request
 * and published no CRL the platform could read. Never accepted as "unknown".
 */
export class CertificateStatusUnconfirmed extends Schema.TaggedError<CertificateStatusUnconfirmed>()("CertificateStatusUnconfirmed", {
  serialHex: Schema.String,
  reason: Schema.String,
}) {}

/** The certificate cannot sign contracts: unreadable, expired, not from a CA on the trust list, or an unsupported key. */
export class CertificateUnusable extends Schema.TaggedError<CertificateUnusable>()("CertificateUnusable", {
  reason: Schema.String,
}) {}

/** The USB-Key way is not offered to this party: no certificate the shop sold to it on record, no other CA on the trust list. */
export class KeyHeldNotOffered extends Schema.TaggedError<KeyHeldNotOffered>()("KeyHeldNotOffered", {}) {}

/** The returned signature does not verify over the prepared document (wrong key, wrong data, damaged value). */
export class ExternalSignatureInvalid extends Schema.TaggedError<ExternalSignatureInvalid>()("ExternalSignatureInvalid", {
  reason: Schema.String,
}) {}
