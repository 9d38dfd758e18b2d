import { Schema } from "effect"
import { Email } from "../accounts/User.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { CreditCode } from "../kernel/CreditCode.ts"
import { ResidentIdNumber } from "../verification/ResidentIdNumber.ts"
import { Applicant, Business, PackageId } from "./Catalogue.ts"

const Name = Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "name.trim" }), Schema.isBetweenLength(1, 60, { message: "name.length" })))

/**
 * A reference to an uploaded file (the blob / upload id the verification
 * context hands out). Orders only keep the reference; the bytes and their
 * checks (magic bytes, size) belong to the upload.
 */
export const MaterialRef = Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Za-z0-9_-]{1,80}$/, { message: "material.invalid" })))
export type MaterialRef = typeof MaterialRef.Type

/** 用户类型 the applicant picks (O3 / O4). */
export const UserType = Schema.Literals(["企业法人", "事业单位", "政府机关", "社会团体", "个体工商户", "自然人"])
export type UserType = typeof UserType.Type
const ENTERPRISE_TYPES: ReadonlyArray<UserType> = ["企业法人", "事业单位", "政府机关", "社会团体", "个体工商户"]
const PERSONAL_TYPES: ReadonlyArray<UserType> = ["自然人", "个体工商户"]

/** A person as read from an ID card (OCR) and checked by the user. */
export const Person = Schema.Struct({ name: Name, idNumber: ResidentIdNumber })
export type Person = typeof Person.Type

/** 经办人: the person handling the application; notices go to this mobile and e-mail (O3, O10). */
export const Agent = Schema.Struct({ name: Name, idNumber: ResidentIdNumber, mobile: Mobile, email: Email })
export type Agent = typeof Agent.Type

/** The enterprise as read from its business licence (OCR) and checked by the user. */
export const EnterpriseInfo = Schema.Struct({ name: Name, creditCode: CreditCode })
export type EnterpriseInfo = typeof EnterpriseInfo.Type

/**
 * The uploaded materials. `licence` only for enterprises; `holder*` is the legal
 * representative's ID for an enterprise, the applicant's own for a person. The
 * three documents are printed from the samples, stamped and uploaded (O3).
 */
export const Materials = Schema.Struct({
  licence: Schema.NullOr(MaterialRef),
  holderIdFront: MaterialRef,
  holderIdBack: MaterialRef,
  agentIdFront: MaterialRef,
  agentIdBack: MaterialRef,
  applicationForm: MaterialRef,
  authorizationLetter: MaterialRef,
  serviceAgreement: MaterialRef,
})
export type Materials = typeof Materials.Type

/** Serial number of a certificate as hex, as the CA prints it. */
export const CertificateSerial = Schema.String.pipe(Schema.check(Schema.isPattern(/^[0-9a-fA-F]{2,64}$/, { message: "serial.invalid" })))

/** Fields the applicant may change when a rejected order is edited (修改订单): everything but what was paid for. */
export const ApplicationDetails = Schema.Struct({
  userType: UserType,
  enterprise: Schema.NullOr(EnterpriseInfo),
  holder: Person,
  agent: Agent,
  /** 补办 only: the lost or damaged certificate, revoked when the new one is made. */
  lostCertificateSerial: Schema.NullOr(CertificateSerial),
  materials: Materials,
})
export type ApplicationDetails = typeof ApplicationDetails.Type

/** What is bought: fixed once the order is created (the price depends on it). */
export const ApplicationKind = Schema.Struct({
  business: Business,
  applicant: Applicant,
  packageId: PackageId,
  /** One USB-Key per order for now: fulfilment makes one token per order, labelled with the order number. */
  quantity: Schema.Literal(1),
})
export type ApplicationKind = typeof ApplicationKind.Type

/**
 * The rules that tie the parts together: an enterprise application has the
 * enterprise and its licence, a personal one has neither; a reissue names the
 * lost certificate, a new application does not; the user type fits the applicant.
 */
const coherent = Schema.makeFilter((a: ApplicationKind & ApplicationDetails) => {
  const issues: Array<Schema.FilterIssue> = []
  const enterprise = a.applicant === "enterprise"
  if (enterprise && a.enterprise === null) issues.push({ path: ["enterprise"], issue: "enterprise.required" })
  if (!enterprise && a.enterprise !== null) issues.push({ path: ["enterprise"], issue: "enterprise.notAllowed" })
  if (enterprise && a.materials.licence === null) issues.push({ path: ["materials", "licence"], issue: "licence.required" })
  if (!enterprise && a.materials.licence !== null) issues.push({ path: ["materials", "licence"], issue: "licence.notAllowed" })
  if (!(enterprise ? ENTERPRISE_TYPES : PERSONAL_TYPES).includes(a.userType)) issues.push({ path: ["userType"], issue: "userType.mismatch" })
  if (a.business === "reissue" && a.lostCertificateSerial === null) issues.push({ path: ["lostCertificateSerial"], issue: "serial.required" })
  if (a.business === "new" && a.lostCertificateSerial !== null) issues.push({ path: ["lostCertificateSerial"], issue: "serial.notAllowed" })
  return issues
})

/** An application for a new or reissued e-seal certificate (O3, O4). */
export const Application = Schema.Struct({ ...ApplicationKind.fields, ...ApplicationDetails.fields }).check(coherent)
export type Application = typeof Application.Type
