import { Context } from "effect"

/** The root certificates (DER) signatures are checked against: the platform CA's root, plus any configured. */
export class TrustList extends Context.Service<TrustList, {
  readonly roots: ReadonlyArray<Uint8Array>
  /** The configured roots of other CAs (SIGNET_TRUST_ROOTS), also in `roots`: their certificates may sign with keys the signer holds. */
  readonly others?: ReadonlyArray<Uint8Array>
}>()("core/ports/TrustList") {}
