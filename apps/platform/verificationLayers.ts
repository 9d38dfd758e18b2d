import { Effect, Layer, Redacted } from "effect"
import { layer as layerIdentityHttp } from "../../adapters/identity-http/index.ts"
import { IdentityVerifier } from "../../core/ports/IdentityVerifier.ts"
import { Ocr } from "../../core/ports/Ocr.ts"
import { IdentityProviderUnavailable } from "../../core/verification/VerificationErrors.ts"
import { layerVerificationRepositories } from "../../adapters/sql/verification/index.ts"
import { layer as layerIdentityFixture } from "../../adapters/identity-fixture/index.ts"
import { layer as layerOcrFixture } from "../../adapters/ocr-fixture/index.ts"
import { layer as layerTesseract } from "../../adapters/ocr-tesseract/index.ts"
import { layer as layerOcrCache } from "../../adapters/ocr-cache/index.ts"
import { layer as layerCjkFont } from "../../adapters/font-cjk/index.ts"
import type { Config } from "./config.ts"

/**
 * Production without SIGNET_IDENTITY_URL has no identity provider: every
 * check answers "unavailable" rather than letting the development table
 * verify anybody.
 */
const layerIdentityUnconfigured = Layer.succeed(IdentityVerifier, {
  verify: () => Effect.fail(new IdentityProviderUnavailable({ detail: "no identity provider configured" })),
})

/**
 * Development OCR: a synthetic image that carries its fields (fixtures) is
 * answered at once; any other photo goes to tesseract. Without tesseract the
 * fields stay empty and the user types them.
 */
const layerDevOcr = Layer.effect(Ocr, Effect.gen(function*() {
  const fixture = yield* Ocr.pipe(Effect.provide(layerOcrFixture))
  const tesseract = yield* Ocr.pipe(Effect.provide(layerTesseract()))
  return {
    readIdCard: (image) => Effect.flatMap(fixture.readIdCard(image), (f) => f.name !== null || f.idNumber !== null ? Effect.succeed(f) : tesseract.readIdCard(image)),
    readLicence: (image) => Effect.flatMap(fixture.readLicence(image), (f) => f.name !== null || f.creditCode !== null ? Effect.succeed(f) : tesseract.readLicence(image)),
  }
}))

/** V1-V4: repositories (need the Database), identity provider, OCR (remembered per image: review pages ask again on every load), the letter font. */
export const layerVerification = (config: Config) =>
  Layer.mergeAll(
    layerVerificationRepositories,
    config.identityProvider !== null
      ? layerIdentityHttp({ ...config.identityProvider, secret: Redacted.make(config.identityProvider.secret), timeoutMs: 8_000 })
      : config.profile === "dev" ? layerIdentityFixture : layerIdentityUnconfigured,
    layerOcrCache().pipe(Layer.provide(config.profile === "dev" ? layerDevOcr : layerTesseract())),
    layerCjkFont(),
  )
