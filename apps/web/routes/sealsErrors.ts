import { describe, type Described, type WebError } from "../catalogue.ts"

/** How a seal or signature act's failure (E5-E7) is shown: the catalogue's seals section, or the shared ones. */
export const describeSealError = (e: WebError): Described => describe(e)

export const describeSealErrorOr500 = describeSealError
