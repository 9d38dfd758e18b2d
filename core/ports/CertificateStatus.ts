import { Context, Data, type Effect } from "effect"

/** The revocation data or the CA's key could not be read (the check cannot say yes or no). */
export class CertificateStatusUnavailable extends Data.TaggedError("CertificateStatusUnavailable")<{ readonly reason: string }> {}

/**
 * What a certificate's revocation data says. "unknown": no revocation data the
 * platform holds covers its issuer (a CA on the trust list that publishes no CRL the platform has).
 */
export type Revocation =
  | { readonly status: "good"; readonly source: string }
  | { readonly status: "revoked"; readonly source: string; readonly revokedAt: number | null }
  | { readonly status: "unknown"; readonly source: string }

/**
 * Facts about certificates a signer brings (a USB-Key from the shop, a
 * certificate from a CA on the trust list): whether the issuer revoked it,
 * and what a CA writes as the subject serialNumber of a person.
 */
export class CertificateStatus extends Context.Service<CertificateStatus, {
  /** Revocation status from the revocation data the platform has (the platform CA's CRL). */
  readonly revocation: (certificate: Uint8Array, chain: ReadonlyArray<Uint8Array>) => Effect.Effect<Revocation, CertificateStatusUnavailable>
  /**
   * The subject serialNumber values that name this person: the platform CA's
   * keyed hash of the ID number (its certificates never carry the number itself), and the number as other CAs print it.
   */
  readonly personSerials: (idNumber: string) => Effect.Effect<ReadonlyArray<string>, CertificateStatusUnavailable>
  /** The issuers (DER, nearest first) the platform knows for a certificate: its own CA's for certificates it issued, else none. */
  readonly issuersOf: (certificate: Uint8Array) => Effect.Effect<ReadonlyArray<Uint8Array>, CertificateStatusUnavailable>
}>()("core/ports/CertificateStatus") {}
