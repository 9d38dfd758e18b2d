/**
 * Visible seals and handwritten signatures in signed PDFs: a generated seal
 * used by an authorized agent and a signatory's own handwritten signature are
 * drawn in their fields, and every independent validator still accepts
 * every signature.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { TestClock } from "effect/testing"
import { toPem } from "../keys-software/index.ts"
import { classicPdf } from "../../fixtures/pdfs/generate.ts"
import { layerSealWorld, setUp, signaturePng } from "../../fixtures/organizations/sealWorld.ts"
import { TEST_EPOCH } from "../../fixtures/layers.ts"
import { concatParts } from "../../fixtures/signing/run.ts"
import { pixelsIn, renderPage } from "../../fixtures/signing/render.ts"
import { expectValidators, nssDbTrusting, tempDir } from "../../fixtures/signing/validators.ts"
import { requireTools } from "../../fixtures/tools.ts"
import { authorizeSeal, createSeal } from "../../core/seals/seals.ts"
import { handwrittenImage, saveSignature } from "../../core/seals/signatures.ts"
import { useSeal, useSignature } from "../../core/seals/usage.ts"
import { SigningIdentity } from "../../core/ports/SigningIdentity.ts"
import { TrustList } from "../../core/ports/TrustList.ts"
import { UserRepository } from "../../core/ports/UserRepository.ts"
import { signPdf } from "../../core/signing/signPdf.ts"

const ok = requireTools("visible seal appearances", "pdfsig", "mutool", "qpdf", "openssl", "certutil", "pdftoppm")
const dir = tempDir("signet-appearance-")

const red = (r: number, g: number, b: number) => r > 180 && g < 90 && b < 100
const blue = (r: number, g: number, b: number) => b > 90 && r < 90 && g < 100

describe.skipIf(!ok)("visible seal and signature appearances (E5, E6)", () => {
  it.layer(layerSealWorld, { timeout: 60_000 })((it) => {
    it.effect("a seal used by its agent and a signatory's handwritten signature are drawn in their fields; pdfsig, mutool, qpdf and openssl accept both", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const w = yield* setUp
        const seal = yield* createSeal(w.scope(w.admin), { name: "合同专用章", type: "contract", branchId: w.branchB, image: { kind: "generate" } })
        yield* authorizeSeal(w.scope(w.admin), seal.id, w.agentB.id)
        const sealUse = yield* useSeal(w.agentB.id, w.enterprise.id, seal.id, { contractId: "41" })
        yield* saveSignature(w.scope(w.signatory), signaturePng(), "uploaded")

        // The signatory's handwritten image (the core's, beside the identity the adapter makes); someone without one has none.
        const identity = yield* SigningIdentity
        const users = yield* UserRepository
        const person = yield* identity.person(Option.getOrThrow(yield* users.findById(w.signatory.id)))
        const handwritten = yield* handwrittenImage(w.signatory.id)
        expect(handwritten).not.toBeNull()
        expect(yield* handwrittenImage(w.agentA.id)).toBeNull()
        const signatureUse = yield* useSignature(w.signatory.id, w.signatory.id, w.enterprise.id, { contractId: "41" })
        expect(signatureUse.image).toEqual(handwritten)

        const pdf = yield* Effect.promise(() => classicPdf(1))
        const sealed = yield* signPdf(pdf, { reason: "盖章", visible: { page: 1, rect: { x: 60, y: 560, width: 140, height: 140 }, image: sealUse.image } }, sealUse.signer)
        const first = concatParts(sealed.parts)
        const signed = yield* signPdf(first, { reason: "签字", visible: { page: 1, rect: { x: 300, y: 600, width: 180, height: 60 }, image: handwritten! } }, person.signer)
        const both = concatParts(signed.parts)

        const rootPem = join(dir, "root.pem")
        writeFileSync(rootPem, toPem((yield* TrustList).roots[0]!, "CERTIFICATE"))
        const { pdfsig } = expectValidators(both, 2, { nss: nssDbTrusting(rootPem), rootPem, name: "seal-and-signature" })
        expect(pdfsig.raw).toContain("合同专用章")

        const page = renderPage(both)
        expect(pixelsIn(page, 60, 560, 140, 140, red)).toBeGreaterThan(2000)
        expect(pixelsIn(page, 300, 600, 180, 60, blue)).toBeGreaterThan(300)
        // Nothing red or blue outside the two fields (the test page's own text is black).
        const everywhere = (test: typeof red) => pixelsIn(page, 0, 0, page.width, page.height, test)
        expect(everywhere(red)).toBe(pixelsIn(page, 60, 560, 140, 140, red))
        expect(everywhere(blue)).toBe(pixelsIn(page, 300, 600, 180, 60, blue))
      }))
  })
})
