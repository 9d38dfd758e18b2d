import { describe, type Described, type OrgError, type WebError } from "../catalogue.ts"

export type { OrgError }

/** The workspace's refusals (E1-E4); `mobileField` is the form's mobile input the "who" errors belong next to. */
export const describeOrgError = (e: WebError, mobileField = "mobile"): Described => describe(e, { mobile: mobileField })
