import { Effect, Layer } from "effect"
import { IdentityVerifier } from "../../core/ports/IdentityVerifier.ts"
import { IdentityProviderUnavailable } from "../../core/verification/VerificationErrors.ts"
import { layerVerificationRepositories } from "../../adapters/sql/verification/index.ts"
import { layer as layerIdentityFixture } from "../../adapters/identity-fixture/index.ts"
import { layer as layerOcrFixture } from "../../adapters/ocr-fixture/index.ts"
import { layer as layerCjkFont } from "../../adapters/font-cjk/index.ts"
import type { Config } from "./config.ts"

/**
 * Production has no identity provider until one is configured: every check
 * answers "unavailable" rather than letting the development table verify
 * anybody. (adapters/identity-http is the adapter to wire once its settings
 * exist in config.ts.)
 */
const layerIdentityUnconfigured = Layer.succeed(IdentityVerifier, {
  verify: () => Effect.fail(new IdentityProviderUnavailable({ detail: "no identity provider configured" })),
})

/** V1-V4: repositories (need the Database), identity provider, OCR, the letter font. */
export const layerVerification = (config: Config) =>
  Layer.mergeAll(
    layerVerificationRepositories,
    config.profile === "dev" ? layerIdentityFixture : layerIdentityUnconfigured,
    layerOcrFixture,
    layerCjkFont(),
  )
