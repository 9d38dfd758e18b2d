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
import { CertificateNotOfParty, CertificateRevoked, CertificateUnusable } from "./ExternalSignature.ts"

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

/**
 * The revocation check, in one place: today the CA's CRL through the
 * CertificateStatus port; an OCSP answer from the verifier can replace it here.
 */
export const revocationOf = (certificate: Uint8Array, chain: ReadonlyArray<Uint8Array>) =>
  CertificateStatus.use((s) => s.revocation(certificate, chain))

/**
 * The chain to embed: as the signer gave it, or, when they gave the
 * certificate alone (a USB-Key holds no CA certificates), the issuers the platform knows.
 */
export const chainFor = (certificate: Uint8Array, given: ReadonlyArray<Uint8Array>) =>
  given.length > 0 ? Effect.succeed(given) : CertificateStatus.use((s) => s.issuersOf(certificate))

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
  const revocation = yield* revocationOf(certificate, chain)
  if (revocation.status === "revoked") return yield* new CertificateRevoked({ serialHex: facts.serialHex })
  return { facts, revocation }
})
