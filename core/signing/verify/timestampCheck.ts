/** RFC 3161 signature timestamp (B-T) checks: imprint, token signature, TSA certificate and chain. */
import * as asn1js from "asn1js"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import type { DigestAlgorithm } from "../../ports/Crypto.ts"
import { digestAlgorithm, UnsupportedAlgorithm } from "../cms/algorithms.ts"
import { OID } from "../cms/oids.ts"
import { equalBytes } from "../pdf/bytes.ts"
import { buildChain, extendedKeyUsage, type ChainResult } from "./chain.ts"
import { checkCms, parseSignedData, type CmsCheck } from "./cmsCheck.ts"

export interface TimestampCheck {
  readonly ok: boolean
  readonly time: Date | undefined
  readonly tsa: string | undefined
  /** The first algorithm met that Signet does not verify (imprint, token signature, TSA chain). */
  readonly unsupported: UnsupportedAlgorithm | undefined
  readonly problems: ReadonlyArray<string>
  /** The message imprint matches what the token stamps (a signature value, or a document's signed range). */
  readonly imprintOk: boolean
  /** The token's own CMS and the TSA's chain (validated at the token's time). */
  readonly cms: CmsCheck | undefined
  readonly chain: ChainResult | undefined
}

/** What a token stamps: its digest in the imprint's algorithm. */
export type Imprint = (algorithm: DigestAlgorithm) => Uint8Array

export const checkTimestamp = (
  crypto: Crypto,
  digest: (algorithm: DigestAlgorithm, ...parts: ReadonlyArray<Uint8Array>) => Uint8Array,
  token: Uint8Array,
  /** The bytes stamped (a signature value, a checkpoint note), or their digest (a document's signed range). */
  stamped: Uint8Array | Imprint,
  trust: ReadonlyArray<pkijs.Certificate>,
): Effect.Effect<TimestampCheck> =>
  Effect.gen(function* () {
    const sd = parseSignedData(token)
    if (!sd || sd.encapContentInfo.eContentType !== OID.tstInfo || !sd.encapContentInfo.eContent) {
      return { ok: false, time: undefined, tsa: undefined, unsupported: undefined, problems: ["timestamp token is not a TSTInfo SignedData"], imprintOk: false, cms: undefined, chain: undefined }
    }
    const eContent = new Uint8Array(sd.encapContentInfo.eContent.getValue())
    let tst: pkijs.TSTInfo
    try {
      tst = new pkijs.TSTInfo({ schema: asn1js.fromBER(eContent).result })
    } catch {
      return { ok: false, time: undefined, tsa: undefined, unsupported: undefined, problems: ["timestamp token's TSTInfo is unreadable"], imprintOk: false, cms: undefined, chain: undefined }
    }
    const problems: Array<string> = []
    const imprint: Imprint = stamped instanceof Uint8Array ? (a) => digest(a, stamped) : stamped
    const imprintAlg = digestAlgorithm(tst.messageImprint.hashAlgorithm.algorithmId)
    let unsupported = imprintAlg instanceof UnsupportedAlgorithm ? imprintAlg : undefined
    let imprintOk = false
    if (imprintAlg instanceof UnsupportedAlgorithm) problems.push(`timestamp imprint: ${imprintAlg.message}`)
    else if (!equalBytes(new Uint8Array(tst.messageImprint.hashedMessage.valueBlock.valueHexView), imprint(imprintAlg))) {
      problems.push("timestamp imprint does not match what it stamps")
    } else imprintOk = true
    const cms = yield* checkCms(crypto, digest, sd, (a) => digest(a, eContent))
    unsupported ??= cms.unsupported
    problems.push(...cms.problems.map((p) => `timestamp: ${p}`))
    let tsa: string | undefined
    let chain: ChainResult | undefined
    if (cms.signerCert) {
      const eku = extendedKeyUsage(cms.signerCert)
      if (!eku?.oids.includes(OID.timeStamping) || !eku.critical) problems.push("TSA certificate lacks a critical timeStamping EKU")
      chain = yield* buildChain(crypto, cms.signerCert, cms.certificates, trust, tst.genTime)
      tsa = chain.path[0]
      unsupported ??= chain.unsupported
      if (!chain.trusted) problems.push(...chain.problems.map((p) => `TSA chain: ${p}`))
    }
    return { ok: problems.length === 0, time: tst.genTime, tsa, unsupported, problems, imprintOk, cms, chain }
  })
