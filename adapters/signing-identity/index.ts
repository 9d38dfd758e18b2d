import * as pkijs from "pkijs"
import { Context, Effect, Layer, Option } from "effect"
import { SealIdentity, SealIdentityFailed } from "../../core/ports/SealIdentity.ts"
import { SigningIdentity, SigningIdentityUnavailable } from "../../core/ports/SigningIdentity.ts"
import { TrustList } from "../../core/ports/TrustList.ts"
import { CertificateStatus } from "../../core/ports/CertificateStatus.ts"
import { certificateStatusOn } from "./certificateStatus.ts"
import { issueSigningCertificate, openCa, type CaHome, type SoftwareCa } from "../ca/index.ts"
import { signerFromStore } from "../keys-software/index.ts"

const unavailable = (what: string) => (cause: unknown) =>
  new SigningIdentityUnavailable({ reason: `${what}: ${cause instanceof Error ? cause.message : JSON.stringify(cause)}` })

/**
 * Platform-held signing identities on the software CA: each person gets an
 * EC P-256 key sealed in the CA's key store (label `user-<id>`) and a
 * certificate in their name, issued on first use and kept in the CA's vault
 * (`issued/`: `<caDir>/issued` for a CA directory, else the database).
 * The key never leaves the store; only `sign` reaches it, per confirmed act.
 * The person's handwritten signature (E6), when they saved one, is the image
 * drawn at their field; without one, core draws their name in ink (contracts/appearances.ts).
 */
export const layerSoftwareSigningIdentity = (home: CaHome, masterKey: Uint8Array) =>
  Layer.effect(
    SigningIdentity,
    Effect.gen(function*() {
      const ca = yield* openCa(home, masterKey).pipe(Effect.mapError(unavailable("CA")), Effect.orDie)
      return identityOn(ca)
    }),
  )

/**
 * SigningIdentity, SealIdentity, TrustList and CertificateStatus from one software CA, opened
 * once (two openings of a fresh directory at the same time would each create a root).
 * `otherRoots`: other CAs on the trust list (DER), whose certificates signers may bring.
 */
export const layerSoftwareCa = (home: CaHome, masterKey: Uint8Array, otherRoots: ReadonlyArray<Uint8Array> = []) =>
  Layer.effectContext(
    Effect.map(openCa(home, masterKey).pipe(Effect.orDie), (ca) =>
      Context.make(SigningIdentity, identityOn(ca)).pipe(
        Context.add(SealIdentity, sealIdentityOn(ca)),
        Context.add(TrustList, { roots: [ca.rootDer, ...otherRoots], others: otherRoots }),
        Context.add(CertificateStatus, certificateStatusOn(ca)),
      )),
  )

const sealFailed = (cause: unknown) => new SealIdentityFailed({ reason: cause instanceof Error ? cause.message : JSON.stringify(cause) })

/**
 * Seal identities on the software CA (E5): an EC P-256 key per seal sealed in
 * the CA's key store (label `seal-<id>`), certified as the enterprise
 * (O = name, organizationIdentifier = NTRCN-<credit code>, CN = the seal's name).
 * The certificate is returned to be kept with the seal's record.
 */
export const sealIdentityOn = (ca: SoftwareCa): SealIdentity["Service"] => ({
  issue: (s) =>
    Effect.gen(function*() {
      const keyLabel = `seal-${s.sealId}`
      const spki = yield* ca.store.generate(keyLabel, "EC-P256")
      const certificate = yield* issueSigningCertificate(ca, { kind: "enterprise", name: s.sealName, organization: s.enterpriseName, uscc: s.creditCode }, spki)
      const serialHex = Buffer.from(pkijs.Certificate.fromBER(new Uint8Array(certificate)).serialNumber.valueBlock.valueHexView).toString("hex")
      return { keyLabel, certificate, serialHex }
    }).pipe(Effect.mapError(sealFailed)),
  signer: (keyLabel, certificate) =>
    Effect.map(
      ca.store.publicKey(keyLabel).pipe(Effect.mapError(sealFailed)),
      () => signerFromStore(ca.store, keyLabel, "ECDSA-P256-SHA256", certificate, [ca.issuingDer, ca.rootDer]),
    ),
})

/** SealIdentity alone on a software CA (tests, tools). */
export const layerSoftwareSealIdentity = (home: CaHome, masterKey: Uint8Array) =>
  Layer.effect(SealIdentity, Effect.map(openCa(home, masterKey).pipe(Effect.orDie), sealIdentityOn))

/** How many people's certificates an identity keeps in memory (they never change once stored: the vault only creates). */
export const CERTIFICATE_CACHE_MAX = 4096

const identityOn = (ca: SoftwareCa): SigningIdentity["Service"] => {
  const certificates = new Map<string, Uint8Array>()
  /** The person's stored certificate: from memory for a repeat signer, else from the vault. */
  const stored = (name: string) =>
    Effect.suspend(() => {
      const hit = certificates.get(name)
      if (hit !== undefined) {
        certificates.delete(name)
        certificates.set(name, hit)
        return Effect.succeed<Uint8Array | undefined>(hit)
      }
      return ca.vault.get(name)
    })
  const remember = (name: string, certificate: Uint8Array) => {
    certificates.set(name, certificate)
    if (certificates.size > CERTIFICATE_CACHE_MAX) certificates.delete(certificates.keys().next().value as string)
  }
  return {
  person: (user) =>
    Effect.gen(function*() {
      const label = `user-${user.id}`
      const name = `issued/${label}.cer`
      let certificate = yield* stored(name)
      if (certificate === undefined) {
        // First signature: key, then certificate, each created once. A key left without its certificate (the
        // process died in between) is certified now instead of locking the user out; two first signatures at once
        // (two instances) both certify the one key that won, and the first certificate stored is everyone's.
        const existing = yield* ca.store.publicKey(label).pipe(Effect.option)
        const spki = Option.isSome(existing)
          ? existing.value
          : yield* ca.store.generate(label, "EC-P256").pipe(Effect.catch(() => ca.store.publicKey(label)))
        const issued = new Uint8Array(yield* issueSigningCertificate(ca, { kind: "person", name: user.name ?? user.mobile }, spki))
        certificate = (yield* ca.vault.create([[name, issued]])) ? issued : yield* ca.vault.get(name)
        if (certificate === undefined) return yield* new SigningIdentityUnavailable({ reason: "certificate lost after it was stored" })
      }
      remember(name, certificate)
      return { signer: signerFromStore(ca.store, label, "ECDSA-P256-SHA256", certificate, [ca.issuingDer, ca.rootDer]) }
    }).pipe(Effect.mapError(unavailable("signing identity"))),
  }
}
