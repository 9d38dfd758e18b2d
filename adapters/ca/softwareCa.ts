/**
 * Development / self-hosted CA: a root and an issuing CA created on first
 * start, their keys sealed in the software key store under `dir/keys`;
 * issues person, enterprise and TSA certificates and publishes a CRL.
 */
import { createHmac } from "node:crypto"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import { KeyStoreFailed, type KeyStoreShape } from "../../core/ports/KeyStore.ts"
import { OID } from "../../core/signing/cms/oids.ts"
import type { Signer } from "../../core/ports/Signer.ts"
import { makeSoftwareKeyStore, pemBlocks, signerFromStore, toPem } from "../keys-software/index.ts"
import { buildCrl, issueCertificate, KEY_USAGE, type Issuer, type NameParts, type RevokedEntry } from "./x509.ts"

export interface CaFiles {
  readonly dir: string
  readonly rootCert: string
  readonly issuingCert: string
  readonly chain: string
  readonly crl: string
  readonly tsaCert: string
}

export const caFiles = (dir: string): CaFiles => ({
  dir,
  rootCert: join(dir, "root.cert.pem"),
  issuingCert: join(dir, "issuing.cert.pem"),
  chain: join(dir, "chain.pem"),
  crl: join(dir, "issuing.crl"),
  tsaCert: join(dir, "tsa.cert.pem"),
})

type SoftwareKeyStore = ReturnType<typeof makeSoftwareKeyStore>

/** Label of the CA's secret for person serialNumbers (HMAC key, sealed in the key store like the CA keys). */
const ID_HMAC_KEY = "id-number-hmac"

export interface SoftwareCa {
  readonly files: CaFiles
  readonly store: SoftwareKeyStore
  readonly root: pkijs.Certificate
  readonly rootDer: Uint8Array
  readonly issuing: pkijs.Certificate
  readonly issuingDer: Uint8Array
}

const readCert = (path: string): Uint8Array => {
  const [der] = pemBlocks(readFileSync(path, "utf8"), "CERTIFICATE")
  if (!der) throw new Error(`${path}: no certificate`)
  return der
}

const issuerOf = (store: KeyStoreShape, label: string, cert: pkijs.Certificate | undefined, algorithm: Issuer["algorithm"]): Issuer => ({
  certificate: cert,
  algorithm,
  sign: (tbs) => store.sign(label, algorithm, tbs),
})

/** Opens the CA in `dir`, creating root, issuing CA, TSA key/cert and an empty CRL on first start. */
export const openSoftwareCa = (dir: string, masterKey: Uint8Array): Effect.Effect<SoftwareCa, unknown> =>
  Effect.gen(function* () {
    const files = caFiles(dir)
    const store = makeSoftwareKeyStore({ masterKey, dir: join(dir, "keys") })
    if (!existsSync(files.rootCert)) {
      const rootSpki = yield* store.generate("root", "RSA-2048")
      const rootDer = yield* issueCertificate(
        { subject: [["C", "CN"], ["O", "Signet Dev"], ["CN", "Signet Dev Root CA"]], spki: rootSpki, days: 3650, ca: {}, keyUsage: KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign },
        issuerOf(store, "root", undefined, "RSA-PKCS1-SHA256"),
      )
      const root = pkijs.Certificate.fromBER(new Uint8Array(rootDer))
      const issuingSpki = yield* store.generate("issuing", "EC-P256")
      const issuingDer = yield* issueCertificate(
        { subject: [["C", "CN"], ["O", "Signet Dev"], ["CN", "Signet Dev Issuing CA"]], spki: issuingSpki, days: 1825, ca: { pathLength: 0 }, keyUsage: KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign },
        issuerOf(store, "root", root, "RSA-PKCS1-SHA256"),
      )
      const tsaSpki = yield* store.generate("tsa", "RSA-2048")
      const tsaDer = yield* issueCertificate(
        {
          subject: [["C", "CN"], ["O", "Signet Dev"], ["CN", "Signet Dev TSA"]],
          spki: tsaSpki,
          days: 1825,
          keyUsage: KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation,
          extKeyUsage: { oids: [OID.timeStamping], critical: true },
        },
        issuerOf(store, "root", root, "RSA-PKCS1-SHA256"),
      )
      writeFileSync(files.rootCert, toPem(rootDer, "CERTIFICATE"))
      writeFileSync(files.issuingCert, toPem(issuingDer, "CERTIFICATE"))
      writeFileSync(files.chain, toPem(issuingDer, "CERTIFICATE") + toPem(rootDer, "CERTIFICATE"))
      writeFileSync(files.tsaCert, toPem(tsaDer, "CERTIFICATE"))
      writeFileSync(join(dir, "revoked.json"), "[]")
    }
    // Also made for a CA created before person serialNumbers were keyed. Another
    // opener of the same directory (the apps open it from two layers) may win the race.
    if ((yield* store.secret(ID_HMAC_KEY)) === undefined) {
      yield* store.generateSecret(ID_HMAC_KEY, 32).pipe(
        Effect.catch((e) => Effect.flatMap(store.secret(ID_HMAC_KEY), (key) => (key === undefined ? Effect.fail(e) : Effect.void))),
      )
    }
    const rootDer = readCert(files.rootCert)
    const issuingDer = readCert(files.issuingCert)
    const ca: SoftwareCa = {
      files, store, rootDer, issuingDer,
      root: pkijs.Certificate.fromBER(new Uint8Array(rootDer)),
      issuing: pkijs.Certificate.fromBER(new Uint8Array(issuingDer)),
    }
    if (!existsSync(files.crl)) yield* publishCrl(ca)
    return ca
  })

/**
 * A person's serialNumber: HMAC-SHA256 of the national ID number under a key
 * only this CA holds. The ID-number space is small (birth date + region +
 * sequence), so an unkeyed hash could be reversed by trying every number;
 * the same person gets the same value from one CA and unrelated values from
 * two CAs. The number itself never enters a certificate.
 */
export const idNumberHash = (ca: SoftwareCa, idNumber: string) =>
  Effect.gen(function* () {
    const key = yield* ca.store.secret(ID_HMAC_KEY)
    if (key === undefined) return yield* new KeyStoreFailed({ reason: `CA in ${ca.files.dir} has no ${ID_HMAC_KEY} key` })
    return createHmac("sha256", key).update(`signet-id:${idNumber.trim().toUpperCase()}`, "utf8").digest("hex")
  })

export type Subject =
  | { readonly kind: "person"; readonly name: string; readonly idNumber?: string | undefined }
  | { readonly kind: "enterprise"; readonly name: string; readonly organization: string; readonly uscc: string }

/** The subject DN; `idHash` is the person's keyed ID hash (see idNumberHash). */
export const subjectName = (s: Subject, idHash?: string): NameParts =>
  s.kind === "person"
    ? [["C", "CN"], ["CN", s.name], ...(idHash ? ([["serialNumber", idHash]] as const) : [])]
    : [["C", "CN"], ["O", s.organization], ["organizationIdentifier", `NTRCN-${s.uscc}`], ["CN", s.name]]

/** Issues a signing certificate (digitalSignature + nonRepudiation) for a subject's public key. */
export const issueSigningCertificate = (ca: SoftwareCa, subject: Subject, spki: Uint8Array, days = 730) =>
  Effect.gen(function* () {
    const idHash = subject.kind === "person" && subject.idNumber ? yield* idNumberHash(ca, subject.idNumber) : undefined
    return yield* issueCertificate(
      {
        subject: subjectName(subject, idHash),
        spki,
        days,
        keyUsage: KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation,
        crlUrl: `file://${ca.files.crl}`,
      },
      issuerOf(ca.store, "issuing", ca.issuing, "ECDSA-P256-SHA256"),
    )
  })

const readRevoked = (ca: SoftwareCa): Array<RevokedEntry> => {
  const path = join(ca.files.dir, "revoked.json")
  if (!existsSync(path)) return []
  return (JSON.parse(readFileSync(path, "utf8")) as Array<{ serialHex: string; date: string }>).map((r) => ({
    serialHex: r.serialHex,
    date: new Date(r.date),
  }))
}

/** Re-signs and writes the issuing CA's CRL (DER) with every revoked serial. */
export const publishCrl = (ca: SoftwareCa) =>
  Effect.gen(function* () {
    const revoked = readRevoked(ca)
    const der = yield* buildCrl(
      { ...issuerOf(ca.store, "issuing", ca.issuing, "ECDSA-P256-SHA256"), certificate: ca.issuing },
      revoked,
      Date.now() % 2 ** 31,
    )
    writeFileSync(ca.files.crl, der)
    return der
  })

export const revoke = (ca: SoftwareCa, serialHex: string) =>
  Effect.gen(function* () {
    const revoked = readRevoked(ca)
    revoked.push({ serialHex: serialHex.toLowerCase(), date: new Date() })
    writeFileSync(join(ca.files.dir, "revoked.json"), JSON.stringify(revoked))
    return yield* publishCrl(ca)
  })

/** The CA's TSA identity (key in the CA key store, certificate with critical timeStamping EKU). */
export const tsaSigner = (ca: SoftwareCa): Signer => {
  const [der] = pemBlocks(readFileSync(ca.files.tsaCert, "utf8"), "CERTIFICATE")
  if (!der) throw new Error(`${ca.files.tsaCert}: no certificate`)
  return signerFromStore(ca.store, "tsa", "RSA-PKCS1-SHA256", der, [ca.rootDer])
}

/** Issues a TSA certificate under the root for an outside key (e.g. OpenSSL as a second TSA in tests). */
export const issueTsaCertificate = (ca: SoftwareCa, spki: Uint8Array, name = "Signet Test TSA") =>
  issueCertificate(
    {
      subject: [["C", "CN"], ["O", "Signet Dev"], ["CN", name]],
      spki,
      days: 365,
      keyUsage: KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation,
      extKeyUsage: { oids: [OID.timeStamping], critical: true },
    },
    issuerOf(ca.store, "root", ca.root, "RSA-PKCS1-SHA256"),
  )
