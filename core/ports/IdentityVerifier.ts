import { Context, type Effect } from "effect"
import type { IdentityProviderUnavailable, IdentityRejected } from "../verification/VerificationErrors.ts"

/** The four factors of V1, already validated (V6) before any provider sees them. */
export interface FourFactors {
  readonly name: string
  readonly idNumber: string
  readonly bankCard: string
  readonly cardType: "debit" | "credit"
  readonly mobile: string
}

/**
 * A real-name provider's four-factor check (name, ID number, bank card, the
 * card's reserved mobile). Adapters: `adapters/identity-fixture` (development
 * table) and `adapters/identity-http` (signed HTTP provider).
 */
export class IdentityVerifier extends Context.Service<IdentityVerifier, {
  /** Succeeds with the provider's reference for the check, or says why the factors do not belong together. */
  readonly verify: (factors: FourFactors) => Effect.Effect<{ readonly reference: string }, IdentityRejected | IdentityProviderUnavailable>
}>()("core/ports/IdentityVerifier") {}
