/**
 * Whether each signature's validity can still be confirmed at the
 * verification time (the verifier's Clock; `signet pdf verify --at`):
 * - every certificate of its chain and of its timestamp's TSA chain was not
 *   revoked at the signing time (the timestamp's genTime when present);
 * - what proves the signing time is still trustworthy now: the timestamp's
 *   TSA chain has not expired, or a later document timestamp that is itself
 *   trustworthy now was made before it expired (B-LTA: each document
 *   timestamp protects everything before it, the newest one must be live).
 * Revoked before signing makes the signature invalid; missing answers or an
 * expired, unprotected timestamp leave it "cannot be confirmed".
 */
import { Effect } from "effect"
import type * as pkijs from "pkijs"
import { chainStatus, type CertificateRevocation, type RevocationSources } from "./revocation.ts"
import type { RangeCheck } from "./rangeCheck.ts"

export interface Reason {
  readonly en: string
  readonly zh: string
}

export interface LongTermInput {
  readonly range: RangeCheck
  /** The revision the signature covers. */
  readonly revision: number
  readonly signatureValid: boolean
}

export interface CertificateRevocationReport extends CertificateRevocation {
  /** Whose chain the certificate is in. */
  readonly chain: "signer" | "timestamp"
}

export interface LongTermResult {
  readonly revocation: ReadonlyArray<CertificateRevocationReport>
  readonly revokedBeforeSigning: boolean
  readonly unconfirmed: ReadonlyArray<Reason>
}

/** When a chain stops being valid: its earliest notAfter, trust anchor excluded (RFC 5280 §6.1: an anchor's validity is not part of path validation). */
const expiry = (chain: { readonly certs: ReadonlyArray<pkijs.Certificate>; readonly trusted: boolean } | undefined): Date | undefined => {
  const certs = chain ? (chain.trusted && chain.certs.length > 1 ? chain.certs.slice(0, -1) : chain.certs) : []
  return certs.length === 0 ? undefined : new Date(Math.min(...certs.map((c) => c.notAfter.value.getTime())))
}

/** What proves the signing time (or, without a timestamp, the signer's own chain) and until when it can be trusted. */
const proofOf = (r: RangeCheck) =>
  r.ts?.ok && r.ts.chain ? { what: "timestamp", until: expiry(r.ts.chain) } : { what: "signer", until: expiry(r.chain) }

export const longTermChecks = (
  crypto: Crypto,
  inputs: ReadonlyArray<LongTermInput>,
  now: Date,
  sources: RevocationSources,
): Effect.Effect<ReadonlyArray<LongTermResult>> =>
  Effect.gen(function*() {
    // Document timestamps trustworthy now, newest first: live if its own chain has not expired, or a
    // later live one was made while it was still valid.
    const live: Array<{ revision: number; time: Date }> = []
    const docTs = inputs.filter((i) => i.range.docTimestamp && i.signatureValid && i.range.ts?.time).sort((a, b) => b.revision - a.revision)
    for (const d of docTs) {
      const until = proofOf(d.range).until
      const time = d.range.ts?.time as Date
      if (until !== undefined && (until >= now || live.some((l) => l.revision > d.revision && l.time <= until))) live.push({ revision: d.revision, time })
    }
    return yield* Effect.forEach(inputs, (input) =>
      Effect.gen(function*() {
        const { range } = input
        const unconfirmed: Array<Reason> = []
        if (!input.signatureValid) return { revocation: [], revokedBeforeSigning: false, unconfirmed }
        const signingTime = range.ts?.ok && range.ts.time ? range.ts.time : now
        const signer = range.docTimestamp ? [] : (yield* chainStatus(crypto, range.chain?.certs ?? [], signingTime, sources)).map((c) => ({ ...c, chain: "signer" as const }))
        const tsaChain = range.ts?.chain?.certs ?? []
        const tsa = range.ts?.time ? (yield* chainStatus(crypto, tsaChain, range.ts.time, sources)).map((c) => ({ ...c, chain: "timestamp" as const })) : []
        const revocation = [...signer, ...tsa]
        for (const c of revocation) {
          if (c.status === "unknown") unconfirmed.push({ en: `revocation status of ${c.subject} cannot be confirmed: ${c.detail}`, zh: `无法确认证书“${c.subject}”的吊销状态` })
        }
        const proof = proofOf(range)
        const protectedBy = live.find((l) => l.revision > input.revision && proof.until !== undefined && l.time <= proof.until)
        if (proof.until !== undefined && proof.until < now && !protectedBy) {
          unconfirmed.push(
            proof.what === "timestamp"
              ? {
                en: `the timestamp's certificate expired on ${proof.until.toISOString()} and no later document timestamp protects it (verification time ${now.toISOString()})`,
                zh: `时间戳证书已于 ${proof.until.toISOString()} 过期，且没有之后的文档时间戳保护该签名（验证时间 ${now.toISOString()}）`,
              }
              : { en: `the signer's certificate expired on ${proof.until.toISOString()} and no timestamp proves the signing time`, zh: `签名证书已于 ${proof.until.toISOString()} 过期，且没有时间戳证明签署时间` },
          )
        }
        return { revocation, revokedBeforeSigning: revocation.some((c) => c.status === "revokedBefore"), unconfirmed }
      }))
  })
