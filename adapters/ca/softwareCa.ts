/**
 * Development / self-hosted CA: a root and an issuing CA created on first
 * start, their keys sealed in the software key store under `keys/` of the
 * CA's vault (a directory, or the database shared by every instance);
 * issues person, enterprise and TSA certificates and publishes a CRL.
 */
import { createHmac } from "node:crypto"
import { join } from "node:path"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import { KeyStoreFailed, type KeyStoreShape } from "../../core/ports/KeyStore.ts"
import { OID } from "../../core/signing/cms/oids.ts"
import type { Signer } from "../../core/ports/Signer.ts"
import { directoryVault, makeSoftwareKeyStore, memoryVault, pemBlocks, signerFromStore, toPem, within, type Vault } from "../keys-software/index.ts"
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

/** Names in the CA's vault: the layout of a CA directory (`caFiles`). */
const ROOT = "root.cert.pem"
const ISSUING = "issuing.cert.pem"
const TSA = "tsa.cert.pem"
const CRL = "issuing.crl"
const ROOT_CRL = "root.crl"
const REVOKED_LEGACY = "revoked.json"
const REVOKED = "revoked/"

export interface SoftwareCa {
  /** Where the CA is kept (a directory or the database), for messages. */
  readonly where: string
  readonly vault: Vault
  readonly store: SoftwareKeyStore
  readonly root: pkijs.Certificate
  readonly rootDer: Uint8Array
  readonly issuing: pkijs.Certificate
  readonly issuingDer: Uint8Array
  readonly tsaDer: Uint8Array
  /** The CRL distribution point put in certificates (a file URL for a CA directory; none for a CA in the database). */
  readonly crlUrl: string | undefined
  /** Where the CA's revocation services are served (adapters/ca/server.ts); put in every certificate issued. */
  readonly urls: CaUrls | undefined
}

/** The CA's HTTP services: the OCSP responder and each CA's CRL. */
export interface CaUrls {
  readonly ocsp: string
  readonly issuingCrl: string
  readonly rootCrl: string
}

/** The services of a CA server mounted at `base` (no trailing slash): `${base}/ocsp`, `${base}/crl/issuing.crl`, `${base}/crl/root.crl`. */
export const caUrls = (base: string): CaUrls => ({ ocsp: `${base}/ocsp`, issuingCrl: `${base}/crl/issuing.crl`, rootCrl: `${base}/crl/root.crl` })

/** A CA kept in a directory: its files can be handed to outside tools. */
export type DirectoryCa = SoftwareCa & { readonly files: CaFiles }

/** Where a CA lives: a directory, or a vault (`within(sharedVault, "ca/")`). */
export type CaHome = string | Vault

const certOf = (pem: Uint8Array | undefined, name: string, where: string): Uint8Array => {
  const [der] = pem === undefined ? [] : pemBlocks(new TextDecoder().decode(pem), "CERTIFICATE")
  if (!der) throw new Error(`${where}/${name}: no certificate`)
  return der
}

const issuerOf = (store: KeyStoreShape, label: string, cert: pkijs.Certificate | undefined, algorithm: Issuer["algorithm"]): Issuer => ({
  certificate: cert,
  algorithm,
  sign: (tbs) => store.sign(label, algorithm, tbs),
})

const pem = (der: ArrayBuffer | Uint8Array, ...more: Array<ArrayBuffer | Uint8Array>) =>
  new TextEncoder().encode([der, ...more].map((d) => toPem(d instanceof Uint8Array ? d : new Uint8Array(d), "CERTIFICATE")).join(""))

/**
 * Root, issuing CA, TSA key/certificate and the ID-number HMAC key, made in
 * memory and stored all at once with the root certificate as the claim: when
 * several instances start on a fresh database at once, one CA wins and every
 * instance (the losers too) reads that one.
 */
const createCa = (vault: Vault, masterKey: Uint8Array, urls: CaUrls | undefined) =>
  Effect.gen(function* () {
    const staging = memoryVault()
    const store = makeSoftwareKeyStore({ masterKey, vault: staging })
    const rootSpki = yield* store.generate("root", "RSA-2048")
    const rootDer = yield* issueCertificate(
      { subject: [["C", "CN"], ["O", "Signet Dev"], ["CN", "Signet Dev Root CA"]], spki: rootSpki, days: 3650, ca: {}, keyUsage: KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign },
      issuerOf(store, "root", undefined, "RSA-PKCS1-SHA256"),
    )
    const root = pkijs.Certificate.fromBER(new Uint8Array(rootDer))
    const issuingSpki = yield* store.generate("issuing", "EC-P256")
    const issuingDer = yield* issueCertificate(
      {
        subject: [["C", "CN"], ["O", "Signet Dev"], ["CN", "Signet Dev Issuing CA"]], spki: issuingSpki, days: 1825, ca: { pathLength: 0 },
        keyUsage: KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign, crlUrl: urls?.rootCrl, ocspUrl: urls?.ocsp,
      },
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
        crlUrl: urls?.rootCrl,
        ocspUrl: urls?.ocsp,
      },
      issuerOf(store, "root", root, "RSA-PKCS1-SHA256"),
    )
    yield* store.generateSecret(ID_HMAC_KEY, 32)
    return yield* vault.create([
      [ROOT, pem(rootDer)],
      ...staging.entries().map(([n, d]) => [`keys/${n}`, d] as const),
      [ISSUING, pem(issuingDer)],
      ["chain.pem", pem(issuingDer, rootDer)],
      [TSA, pem(tsaDer)],
    ])
  })

/** Opens the CA kept in `vault`, creating it on first start (race-safe across instances sharing the vault). */
export const openSoftwareCaIn = (vault: Vault, masterKey: Uint8Array, crlUrl?: string, urls?: CaUrls): Effect.Effect<SoftwareCa, unknown> =>
  Effect.gen(function* () {
    const store = makeSoftwareKeyStore({ masterKey, vault: within(vault, "keys/") })
    if ((yield* vault.get(ROOT)) === undefined) yield* createCa(vault, masterKey, urls)
    // Also made for a CA created before person serialNumbers were keyed. Another
    // opener of the same CA may win the race.
    if ((yield* store.secret(ID_HMAC_KEY)) === undefined) {
      yield* store.generateSecret(ID_HMAC_KEY, 32).pipe(
        Effect.catch((e) => Effect.flatMap(store.secret(ID_HMAC_KEY), (key) => (key === undefined ? Effect.fail(e) : Effect.void))),
      )
    }
    const [rootPem, issuingPem, tsaPem] = [yield* vault.get(ROOT), yield* vault.get(ISSUING), yield* vault.get(TSA)]
    const { rootDer, issuingDer, tsaDer } = yield* Effect.try(() => ({
      rootDer: certOf(rootPem, ROOT, vault.where),
      issuingDer: certOf(issuingPem, ISSUING, vault.where),
      tsaDer: certOf(tsaPem, TSA, vault.where),
    }))
    const ca: SoftwareCa = {
      where: vault.where, vault, store, rootDer, issuingDer, tsaDer, crlUrl, urls,
      root: pkijs.Certificate.fromBER(new Uint8Array(rootDer)),
      issuing: pkijs.Certificate.fromBER(new Uint8Array(issuingDer)),
    }
    if ((yield* vault.get(CRL)) === undefined) yield* publishCrl(ca)
    if ((yield* vault.get(ROOT_CRL)) === undefined) yield* publishCrl(ca, "root")
    return ca
  })

/** Opens the CA in `dir`, creating root, issuing CA, TSA key/cert and an empty CRL on first start. */
export const openSoftwareCa = (dir: string, masterKey: Uint8Array, urls?: CaUrls): Effect.Effect<DirectoryCa, unknown> => {
  const files = caFiles(dir)
  return Effect.map(openSoftwareCaIn(directoryVault(dir), masterKey, `file://${files.crl}`, urls), (ca) => ({ ...ca, files }))
}

/** Opens the CA of a directory or a vault. */
export const openCa = (home: CaHome, masterKey: Uint8Array, urls?: CaUrls): Effect.Effect<SoftwareCa, unknown> =>
  typeof home === "string" ? openSoftwareCa(home, masterKey, urls) : openSoftwareCaIn(home, masterKey, undefined, urls)

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
    if (key === undefined) return yield* new KeyStoreFailed({ reason: `CA in ${ca.where} has no ${ID_HMAC_KEY} key` })
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
export const issueSigningCertificate = (ca: SoftwareCa, subject: Subject, spki: Uint8Array, days = 730, options: { readonly notAfter?: Date | undefined } = {}) =>
  Effect.gen(function* () {
    const idHash = subject.kind === "person" && subject.idNumber ? yield* idNumberHash(ca, subject.idNumber) : undefined
    return yield* issueCertificate(
      {
        subject: subjectName(subject, idHash),
        spki,
        days,
        keyUsage: KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation,
        crlUrl: ca.urls?.issuingCrl ?? ca.crlUrl,
        ocspUrl: ca.urls?.ocsp,
        notAfter: options.notAfter,
      },
      issuerOf(ca.store, "issuing", ca.issuing, "ECDSA-P256-SHA256"),
    )
  })

/** Which CA issued a revoked certificate: the issuing CA (people, enterprises) or the root (issuing CA, TSA). */
export type CaName = "issuing" | "root"

interface Revoked { readonly serialHex: string; readonly date: string; readonly issuer?: CaName }

/** Revocations: one entry each (instances revoking at once lose none), and the list of a CA directory from before. */
const readRevoked = (ca: SoftwareCa) =>
  Effect.gen(function* () {
    const legacy = yield* ca.vault.get(REVOKED_LEGACY)
    const entries = yield* ca.vault.list(REVOKED)
    const decode = (d: Uint8Array) => JSON.parse(new TextDecoder().decode(d)) as unknown
    return [...(legacy === undefined ? [] : (decode(legacy) as Array<Revoked>)), ...entries.map(([, d]) => decode(d) as Revoked)]
      .map((r): RevokedEntry & { readonly issuer: CaName } => ({ serialHex: r.serialHex, date: new Date(r.date), issuer: r.issuer ?? "issuing" }))
  })

/** Revoked certificates of one CA (for its CRL and its OCSP answers). */
export const revokedBy = (ca: SoftwareCa, issuer: CaName) => Effect.map(readRevoked(ca), (all) => all.filter((r) => r.issuer === issuer))

/** Re-signs and stores a CA's CRL (DER) with every serial it revoked (the issuing CA's by default). */
export const publishCrl = (ca: SoftwareCa, which: CaName = "issuing") =>
  Effect.gen(function* () {
    const revoked = yield* revokedBy(ca, which)
    const der = yield* buildCrl(
      which === "issuing"
        ? { ...issuerOf(ca.store, "issuing", ca.issuing, "ECDSA-P256-SHA256"), certificate: ca.issuing }
        : { ...issuerOf(ca.store, "root", ca.root, "RSA-PKCS1-SHA256"), certificate: ca.root },
      revoked,
      Date.now() % 2 ** 31,
    )
    yield* ca.vault.replace(which === "issuing" ? CRL : ROOT_CRL, new Uint8Array(der))
    return der
  })

/** The CRL last published (DER), if any. */
export const currentCrl = (ca: SoftwareCa, which: CaName = "issuing") => ca.vault.get(which === "issuing" ? CRL : ROOT_CRL)

export const revoke = (ca: SoftwareCa, serialHex: string, issuer: CaName = "issuing") =>
  Effect.gen(function* () {
    const serial = serialHex.toLowerCase()
    const entry: Revoked = { serialHex: serial, date: new Date().toISOString(), issuer }
    yield* ca.vault.create([[`${REVOKED}${serial}.json`, new TextEncoder().encode(JSON.stringify(entry))]])
    return yield* publishCrl(ca, issuer)
  })

/** The CA's TSA identity (key in the CA key store, certificate with critical timeStamping EKU). */
export const tsaSigner = (ca: SoftwareCa): Signer => signerFromStore(ca.store, "tsa", "RSA-PKCS1-SHA256", ca.tsaDer, [ca.rootDer])

/** Issues a TSA certificate under the root for an outside key (e.g. OpenSSL as a second TSA in tests). */
export const issueTsaCertificate = (ca: SoftwareCa, spki: Uint8Array, name = "Signet Test TSA", notAfter?: Date) =>
  issueCertificate(
    {
      subject: [["C", "CN"], ["O", "Signet Dev"], ["CN", name]],
      spki,
      days: 365,
      notAfter,
      crlUrl: ca.urls?.rootCrl,
      ocspUrl: ca.urls?.ocsp,
      keyUsage: KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation,
      extKeyUsage: { oids: [OID.timeStamping], critical: true },
    },
    issuerOf(ca.store, "root", ca.root, "RSA-PKCS1-SHA256"),
  )
