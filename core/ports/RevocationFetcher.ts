import { Context, Data, type Effect } from "effect"

/** The CA's revocation services could not be reached or gave nothing usable. */
export class RevocationUnavailable extends Data.TaggedError("RevocationUnavailable")<{ readonly reason: string }> {}

/** OCSP responses (DER OCSPResponse) and CRLs (DER) about some certificates. */
export interface RevocationData {
  readonly ocsps: ReadonlyArray<Uint8Array>
  readonly crls: ReadonlyArray<Uint8Array>
}

export interface RevocationFetcherShape {
  /**
   * Asks the services a certificate names (AIA id-ad-ocsp, then its CRL
   * distribution points) about `certificate` (DER) issued by `issuer` (DER).
   */
  readonly fetch: (certificate: Uint8Array, issuer: Uint8Array) => Effect.Effect<RevocationData, RevocationUnavailable>
}

/**
 * Network access to OCSP responders and CRL distribution points: used when
 * signing at B-LT/B-LTA (to embed the answers in the file) and by the
 * verifier only when the user allows it (`signet pdf verify --online`).
 */
export class RevocationFetcher extends Context.Service<RevocationFetcher, RevocationFetcherShape>()("core/ports/RevocationFetcher") {}
