export { caFiles, idNumberHash, issueSigningCertificate, issueTsaCertificate, openSoftwareCa, publishCrl, revoke, subjectName, tsaSigner } from "./softwareCa.ts"
export type { CaFiles, SoftwareCa, Subject } from "./softwareCa.ts"
export { buildCrl, buildName, issueCertificate, KEY_USAGE } from "./x509.ts"
