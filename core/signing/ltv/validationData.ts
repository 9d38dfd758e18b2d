/**
 * What validates each signature of a file (B-LT): the certificates of its
 * chain and of its timestamp's TSA chain, and for every certificate but the
 * trust anchors an OCSP response or CRL from the CA's services, keyed for the
 * DSS /VRI by the uppercase hex SHA-1 of the signature's /Contents value.
 * Each (certificate, issuer) pair is asked once however many signatures share it.
 */
import { Effect } from "effect"
import { PDFDict, PDFHexString, PDFName, PDFString } from "pdf-lib"
import * as pkijs from "pkijs"
import type { RevocationData, RevocationFetcherShape, RevocationUnavailable } from "../../ports/RevocationFetcher.ts"
import { OID } from "../cms/oids.ts"
import { toHex } from "../pdf/bytes.ts"
import { formFields, getDict, type PdfDocument } from "../pdf/document.ts"
import { WebCrypto } from "../../ports/WebCrypto.ts"
import { buildChain, certificateDer } from "../verify/chain.ts"
import { derLength, parseSignedData } from "../verify/cmsCheck.ts"
import { hasOcspNoCheck, parseOcsp } from "../verify/revocation.ts"
import type { VriEntry } from "./dss.ts"

export interface FileSignature {
  readonly field: string
  /** The /Contents value as stored (zero padding included): what the VRI key hashes. */
  readonly contents: Uint8Array
  readonly docTimestamp: boolean
}

export const fileSignatures = (doc: PdfDocument): ReadonlyArray<FileSignature> =>
  formFields(doc).flatMap((f) => {
    const v = doc.resolve(f.dict.get(PDFName.of("V")))
    if (f.dict.get(PDFName.of("FT")) !== PDFName.of("Sig") || !(v instanceof PDFDict)) return []
    const c = doc.resolve(v.get(PDFName.of("Contents")))
    if (!(c instanceof PDFHexString || c instanceof PDFString)) return []
    const sub = doc.resolve(v.get(PDFName.of("SubFilter")))
    return [{ field: f.fullName, contents: c.asBytes(), docTimestamp: sub === PDFName.of("ETSI.RFC3161") }]
  })

/** The /VRI keys of the file's DSS: signatures whose validation data is already in the file. */
const knownVriKeys = (doc: PdfDocument): Set<string> => {
  const dss = getDict(doc, doc.catalog, "DSS")
  const vri = dss && getDict(doc, dss, "VRI")
  return new Set(vri ? vri.keys().map((k) => k.decodeText()) : [])
}

export const vriKey = (crypto: Crypto, contents: Uint8Array): Effect.Effect<string> =>
  Effect.tryPromise({ try: () => crypto.subtle.digest("SHA-1", new Uint8Array(contents)), catch: (e) => e }).pipe(
    Effect.map((d) => toHex(new Uint8Array(d)).toUpperCase()),
    Effect.orDie, // a digest of bytes in memory does not fail
  )

/** The signer's and every timestamp's chains of one signature's CMS (a doc timestamp's token is itself one). */
const chainsOf = (crypto: Crypto, contents: Uint8Array, trust: ReadonlyArray<pkijs.Certificate>) =>
  Effect.gen(function*() {
    const sd = parseSignedData(contents.subarray(0, derLength(contents)))
    if (!sd) return []
    const chains: Array<ReadonlyArray<pkijs.Certificate>> = []
    const add = (data: pkijs.SignedData): Effect.Effect<void> =>
      Effect.gen(function*() {
        const certs = (data.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
        const sid = data.signerInfos[0]?.sid
        const leaf = sid instanceof pkijs.IssuerAndSerialNumber
          ? certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber))
          : undefined
        if (leaf) chains.push((yield* buildChain(crypto, leaf, certs, trust, leaf.notBefore.value)).certs)
        const token = data.signerInfos[0]?.unsignedAttrs?.attributes.find((a) => a.type === OID.signatureTimeStampToken)?.values[0]
        const inner = token ? parseSignedData(new Uint8Array(token.toBER(false))) : undefined
        if (inner) yield* add(inner)
      })
    yield* add(sd)
    return chains
  })

/**
 * Validation data of every signature and document timestamp in `doc` the DSS has no /VRI entry for yet.
 * A certificate whose services do not answer fails the act: a B-LT file must
 * not be written without what it promises.
 */
export const collectValidationData = (
  doc: PdfDocument,
  trustRoots: ReadonlyArray<Uint8Array>,
  fetcher: RevocationFetcherShape,
  /** Answers already fetched in this act (by certificate/issuer), shared by its successive DSS updates. */
  answers: Map<string, RevocationData> = new Map(),
): Effect.Effect<ReadonlyArray<VriEntry>, RevocationUnavailable, WebCrypto> =>
  Effect.gen(function*() {
    const { crypto } = yield* WebCrypto
    const trust = trustRoots.map((d) => pkijs.Certificate.fromBER(new Uint8Array(d)))
    const entries: Array<VriEntry> = []
    const known = knownVriKeys(doc)
    for (const sig of fileSignatures(doc)) {
      const key = yield* vriKey(crypto, sig.contents)
      // A signature the DSS already has answers for keeps them: they were taken while its certificates were valid.
      if (known.has(key)) continue
      const chains = yield* chainsOf(crypto, sig.contents, trust)
      const certs = new Map<string, Uint8Array>()
      const crls: Array<Uint8Array> = [], ocsps: Array<Uint8Array> = []
      for (const chain of chains) {
        for (const [i, cert] of chain.entries()) {
          const der = certificateDer(cert)
          certs.set(toHex(der), der)
          const issuer = chain[i + 1]
          if (!issuer || hasOcspNoCheck(cert)) continue
          const key = `${toHex(der)}/${toHex(certificateDer(issuer))}`
          const answer = answers.get(key) ?? (yield* fetcher.fetch(der, certificateDer(issuer)))
          answers.set(key, answer)
          crls.push(...answer.crls)
          ocsps.push(...answer.ocsps)
          // The delegated responder's certificate travels with the answer; kept in /Certs too.
          for (const o of answer.ocsps) for (const c of parseOcsp(o)?.certs ?? []) certs.set(toHex(certificateDer(c)), certificateDer(c))
        }
      }
      entries.push({ key, certs: [...certs.values()], crls, ocsps })
    }
    return entries
  })
