import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Context, Effect, Layer } from "effect"
import { SigningIdentity, SigningIdentityUnavailable } from "../../core/ports/SigningIdentity.ts"
import { TrustList } from "../../core/ports/TrustList.ts"
import { issueSigningCertificate, openSoftwareCa, type SoftwareCa } from "../ca/index.ts"
import { signerFromStore } from "../keys-software/index.ts"

const unavailable = (what: string) => (cause: unknown) =>
  new SigningIdentityUnavailable({ reason: `${what}: ${cause instanceof Error ? cause.message : JSON.stringify(cause)}` })

/**
 * Platform-held signing identities on the software CA: each person gets an
 * EC P-256 key sealed in the CA's key store (label `user-<id>`) and a
 * certificate in their name, issued on first use and kept in `<caDir>/issued`.
 * The key never leaves the store; only `sign` reaches it, per confirmed act.
 * No handwritten image yet (signature management is a later capability): the
 * signature is invisible, the field stays as placed.
 */
export const layerSoftwareSigningIdentity = (caDir: string, masterKey: Uint8Array) =>
  Layer.effect(
    SigningIdentity,
    Effect.gen(function*() {
      const ca = yield* openSoftwareCa(caDir, masterKey).pipe(Effect.mapError(unavailable("CA")), Effect.orDie)
      return identityOn(ca, caDir)
    }),
  )

/**
 * SigningIdentity and TrustList from one software CA, opened once (two
 * openings of a fresh directory at the same time would each create a root).
 */
export const layerSoftwareCa = (caDir: string, masterKey: Uint8Array) =>
  Layer.effectContext(
    Effect.map(openSoftwareCa(caDir, masterKey).pipe(Effect.orDie), (ca) =>
      Context.make(SigningIdentity, identityOn(ca, caDir)).pipe(Context.add(TrustList, { roots: [ca.rootDer] }))),
  )

const identityOn = (ca: SoftwareCa, caDir: string): SigningIdentity["Service"] => {
  const issued = join(caDir, "issued")
  mkdirSync(issued, { recursive: true })
  return {
    person: (user) =>
      Effect.gen(function*() {
        const label = `user-${user.id}`
        const certPath = join(issued, `${label}.cer`)
        let certificate: Uint8Array
        if (existsSync(certPath)) {
          certificate = new Uint8Array(readFileSync(certPath))
        } else {
          const spki = yield* ca.store.generate(label, "EC-P256")
          certificate = yield* issueSigningCertificate(ca, { kind: "person", name: user.name ?? user.mobile }, spki)
          writeFileSync(certPath, certificate)
        }
        return {
          signer: signerFromStore(ca.store, label, "ECDSA-P256-SHA256", certificate, [ca.issuingDer, ca.rootDer]),
          image: null,
        }
      }).pipe(Effect.mapError(unavailable("signing identity"))),
  }
}
