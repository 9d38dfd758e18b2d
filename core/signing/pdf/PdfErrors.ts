import { Data } from "effect"

/** The input is not a PDF we can safely append to; `check` names the test that failed. */
export class PdfMalformed extends Data.TaggedError("PdfMalformed")<{
  readonly check: string
  readonly reason: string
}> {}

/** The PDF is encrypted (trailer /Encrypt); Signet does not sign encrypted documents. */
export class PdfEncrypted extends Data.TaggedError("PdfEncrypted")<{ readonly reason: string }> {}

/** The requested page does not exist in the document. */
export class PageNotFound extends Data.TaggedError("PageNotFound")<{
  readonly page: number
  readonly pageCount: number
}> {}

/** A signature field with this name already exists; two fields with one /T break viewers. */
export class SignatureFieldNameTaken extends Data.TaggedError("SignatureFieldNameTaken")<{
  readonly name: string
}> {}

/** The CMS (chain + timestamp) does not fit the /Contents gap reserved in the update. */
export class SignatureContentsTooSmall extends Data.TaggedError("SignatureContentsTooSmall")<{
  readonly needed: number
  readonly reserved: number
}> {}

/** The seal image is not a PNG we can embed. */
export class SealImageInvalid extends Data.TaggedError("SealImageInvalid")<{ readonly reason: string }> {}

export type PdfError =
  | PdfMalformed
  | PdfEncrypted
  | PageNotFound
  | SignatureFieldNameTaken
  | SealImageInvalid
  | DocumentLocked

/** The document's certification (DocMDP) forbids this signature. */
export class DocumentLocked extends Data.TaggedError("DocumentLocked")<{ readonly reason: string }> {}
