export { caFiles, currentCrl, idNumberHash, issueSigningCertificate, issueTsaCertificate, openCa, openSoftwareCa, openSoftwareCaIn, publishCrl, revoke, subjectName, tsaSigner } from "./softwareCa.ts"
export type { CaFiles, CaHome, DirectoryCa, SoftwareCa, Subject } from "./softwareCa.ts"
export { buildCrl, buildName, issueCertificate, KEY_USAGE } from "./x509.ts"
