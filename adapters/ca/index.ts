export { caFiles, idNumberHash, issueSigningCertificate, openSoftwareCa, publishCrl, revoke, subjectName } from "./softwareCa.ts"
export type { CaFiles, SoftwareCa, Subject } from "./softwareCa.ts"
export { buildCrl, buildName, issueCertificate, KEY_USAGE } from "./x509.ts"
