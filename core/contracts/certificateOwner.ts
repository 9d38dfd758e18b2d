/**
 * Whether a certificate the signer brings may sign for a party: it names the
 * party (person: its subject serialNumber is the verified identity's;
 * enterprise: organizationIdentifier carries the credit code, or O is the
 * enterprise's name with the credit code beside it), it is in its validity
 * period, and its issuer has not revoked it.
 */
import { Effect, Option } from "effect"
import * as pkijs from "pkijs"
import type { User } from "../accounts/User.ts"
import type { EnterpriseId } from "../organizations/Enterprise.ts"
import { CertificateStatus } from "../ports/CertificateStatus.ts"
import { EnterpriseRepository } from "../ports/EnterpriseRepository.ts"
import { PersonalVerificationRepository } from "../ports/VerificationRepository.ts"
import { subjectText } from "../signing/verify/chain.ts"
import { isEnterpriseParty, type Party } from "./Contract.ts"
import { RevocationFetcher } from "../ports/RevocationFetcher.ts"
import { TrustList } from "../ports/TrustList.ts"
import { certificateStatus, noRevocationData, type CertificateRevocation } from "../signing/verify/revocation.ts"
import { WebCrypto } from "../ports/WebCrypto.ts"
import { CertificateNotOfParty, CertificateRevoked, CertificateStatusUnconfirmed, CertificateUnusable } from "./ExternalSignature.ts"

const ATTR = { serialNumber: "2.5.4.5", O: "2.5.4.10", OU: "2.5.4.11", organizationIdentifier: "2.5.4.97" } as const

export interface CertificateFacts {
  readonly serialHex: string
  readonly subject: string
  readonly issuer: string
  readonly notBefore: number
  readonly notAfter: number
  /** Subject attribute values by OID. */
  readonly attributes: ReadonlyArray<readonly [string, string]>
  readonly algorithm: "ECDSA-P256-SHA256" | "RSA-PKCS1-SHA256"
}

const hex = (b: ArrayBuffer | Uint8Array) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("")

/** What the checks need from a certificate's DER, or why it cannot be read. */
export const certificateFacts = (der: Uint8Array): Effect.Effect<CertificateFacts, CertificateUnusable> =>
  Effect.try({
    try: () => {
      const c = pkijs.Certificate.fromBER(new Uint8Array(der))
      const alg = c.subjectPublicKeyInfo.algorithm.algorithmId
      const algorithm = alg === "1.2.840.10045.2.1" ? "ECDSA-P256-SHA256" as const : alg === "1.2.840.113549.1.1.1" ? "RSA-PKCS1-SHA256" as const : undefined
      if (algorithm === undefined) throw new Error(`公钥算法 ${alg} 不受支持`)
      return {
        serialHex: hex(c.serialNumber.valueBlock.valueHexView),
        subject: subjectText(c),
        issuer: c.issuer.typesAndValues.map((tv) => String(tv.value.valueBlock.value)).join(", "),
        notBefore: c.notBefore.value.getTime(),
        notAfter: c.notAfter.value.getTime(),
        attributes: c.subject.typesAndValues.map((tv) => [tv.type, String(tv.value.valueBlock.value)] as const),
        algorithm,
      }
    },
    catch: (e) => new CertificateUnusable({ reason: e instanceof Error && /[\u4e00-\u9fff]/.test(e.message) ? e.message : "无法解析证书" }),
  })

const values = (f: CertificateFacts, oid: string) => f.attributes.filter(([t]) => t === oid).map(([, v]) => v.trim())

/** Enterprise rule: organizationIdentifier names the credit code (NTRCN-<code>, or the bare code), or O is the name and the code is beside it. */
export const namesEnterprise = (f: CertificateFacts, e: { readonly name: string; readonly creditCode: string }): boolean => {
  const code = e.creditCode.toUpperCase()
  if (values(f, ATTR.organizationIdentifier).some((v) => v.toUpperCase() === code || v.toUpperCase().endsWith(`-${code}`))) return true
  const beside = [...values(f, ATTR.serialNumber), ...values(f, ATTR.OU)].some((v) => v.toUpperCase() === code)
  return values(f, ATTR.O).includes(e.name.trim()) && beside
}

/** Person rule: the subject serialNumber is one of the values that name the verified person. */
export const namesPerson = (f: CertificateFacts, serials: ReadonlyArray<string>): boolean => {
  const wanted = new Set(serials.map((s) => s.toLowerCase()))
  return values(f, ATTR.serialNumber).some((v) => wanted.has(v.toLowerCase()))
}

/** The zh-CN reason the verifier's revocation machinery could not confirm a status. */
const unconfirmedReason = (r: CertificateRevocation): string =>
  r.detail.startsWith("trust anchor") ? "未找到签发机构证书（请提供完整证书链）"
    : r.detail.includes("online:") ? `签发机构的 OCSP/CRL 服务无法访问（${r.detail.slice(r.detail.indexOf("online:") + 8)}）`
    : "签发机构没有给出有效的 OCSP 应答或吊销列表"

/**
 * The revocation check, in one place. The platform CA's own certificates:
 * its CRL through the CertificateStatus port. Another CA's (on the trust
 * list): the verifier's revocation machinery asks the services the
 * certificate names (OCSP from its AIA, else its CRL distribution point)
 * through the RevocationFetcher port, each answer checked against the issuer;
 * a status that cannot be confirmed refuses the certificate.
 */
export const revocationOf = Effect.fn("contracts.revocationOf")(function*(certificate: Uint8Array, chain: ReadonlyArray<Uint8Array>, now: number) {
  const platform = yield* CertificateStatus.use((s) => s.revocation(certificate, chain))
  if (platform.status !== "unknown") return platform
  const facts = yield* certificateFacts(certificate)
  const parsed = yield* Effect.try({
    try: () => [certificate, ...chain].map((der) => pkijs.Certificate.fromBER(new Uint8Array(der))),
    catch: () => new CertificateUnusable({ reason: "证书链无法解析" }),
  })
  const cert = parsed[0]!
  const issuer = parsed.slice(1).find((c) => c.subject.isEqual(cert.issuer))
  const online = Option.getOrUndefined(yield* Effect.serviceOption(RevocationFetcher))
  if (issuer === undefined) return yield* new CertificateStatusUnconfirmed({ serialHex: facts.serialHex, reason: "未找到签发机构证书（请提供完整证书链）" })
  if (online === undefined) return yield* new CertificateStatusUnconfirmed({ serialHex: facts.serialHex, reason: "平台未配置证书状态查询服务" })
  const { crypto } = yield* WebCrypto
  const r = yield* certificateStatus(crypto, cert, issuer, new Date(now), { dss: noRevocationData, given: noRevocationData, online })
  const source = `${r.kind ?? "OCSP/CRL"} 在线查询（${facts.issuer}）`
  switch (r.status) {
    case "good": return { status: "good" as const, source }
    case "revokedBefore": case "revokedAfter": return { status: "revoked" as const, source, revokedAt: null }
    case "unknown": case "notApplicable": return yield* new CertificateStatusUnconfirmed({ serialHex: facts.serialHex, reason: unconfirmedReason(r) })
  }
})

/** The issuers of `certificate` among `known` (DER), nearest first, up to a self-signed root. */
const chainAmong = (certificate: Uint8Array, known: ReadonlyArray<Uint8Array>): ReadonlyArray<Uint8Array> => {
  try {
    const parsed = known.map((der) => ({ der, cert: pkijs.Certificate.fromBER(new Uint8Array(der)) }))
    const out: Array<Uint8Array> = []
    let current = pkijs.Certificate.fromBER(new Uint8Array(certificate))
    for (let depth = 0; depth < 5 && !current.issuer.isEqual(current.subject); depth++) {
      const next = parsed.find((p) => p.cert.subject.isEqual(current.issuer))
      if (next === undefined) break
      out.push(next.der)
      current = next.cert
    }
    return out
  } catch {
    return []
  }
}

/**
 * The chain to embed: as the signer gave it, or, when they gave the
 * certificate alone (a USB-Key holds no CA certificates), the issuers the
 * platform knows: its own CA's, else those among the configured trust list (SIGNET_TRUST_ROOTS).
 */
export const chainFor = (certificate: Uint8Array, given: ReadonlyArray<Uint8Array>) =>
  given.length > 0 ? Effect.succeed(given) : Effect.gen(function*() {
    const platform = yield* CertificateStatus.use((s) => s.issuersOf(certificate))
    return platform.length > 0 ? platform : chainAmong(certificate, (yield* TrustList).others ?? [])
  })

/** Who the party is, for the ownership rule: the signing person's verified identity, or the enterprise's registration. */
const partyNamed = (party: Party, signer: User | undefined, f: CertificateFacts) =>
  Effect.gen(function*() {
    if (isEnterpriseParty(party)) {
      const e = yield* EnterpriseRepository.use((r) => r.findById(party.enterpriseId as EnterpriseId))
      return Option.isSome(e) && namesEnterprise(f, e.value)
    }
    if (signer === undefined) return false
    const v = yield* PersonalVerificationRepository.use((r) => r.find(signer.id))
    if (Option.isNone(v)) return false
    return namesPerson(f, yield* CertificateStatus.use((s) => s.personSerials(v.value.idNumber)))
  })

/** Checks the certificate may sign for the party now; returns its facts and revocation status for the evidence. */
export const checkCertificateForParty = Effect.fn("contracts.checkCertificateForParty")(function*(
  certificate: Uint8Array,
  chain: ReadonlyArray<Uint8Array>,
  party: Party,
  signer: User | undefined,
  now: number,
) {
  const facts = yield* certificateFacts(certificate)
  if (now < facts.notBefore || now > facts.notAfter) return yield* new CertificateUnusable({ reason: "证书不在有效期内" })
  if (!(yield* partyNamed(party, signer, facts))) return yield* new CertificateNotOfParty({ subject: facts.subject, party: party.name })
  const revocation = yield* revocationOf(certificate, chain, now)
  if (revocation.status === "revoked") return yield* new CertificateRevoked({ serialHex: facts.serialHex })
  return { facts, revocation }
})
