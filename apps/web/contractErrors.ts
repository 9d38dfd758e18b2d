import { describe, type Described, type WebError } from "./catalogue.ts"

export { NOT_VERIFIED_MESSAGE } from "./catalogue.ts"

/** How a contract act's failure is shown (the catalogue's contracts, seals and infrastructure sections). */
export const describeContractError = (e: WebError): Described => describe(e)
