import { Schema } from "effect"
import { NumericId, UserId } from "../kernel/Ids.ts"
import { Millis } from "../kernel/Millis.ts"

/** M2: a user's folder for classifying archived contracts. */
export class Folder extends Schema.Class<Folder>("Folder")({
  id: NumericId,
  ownerUserId: UserId,
  name: Schema.String,
  createdAt: Millis,
}) {}

export const FolderName = Schema.String.pipe(
  Schema.check(Schema.isTrimmed({ message: "folder.trim" }), Schema.isBetweenLength(1, 30, { message: "folder.length" })),
)

/** One signature's line in the report shown for an uploaded contract (M3). */
export const SignatureSummary = Schema.Struct({
  field: Schema.String,
  signer: Schema.String,
  valid: Schema.Boolean,
  problems: Schema.Array(Schema.String),
})
export type SignatureSummary = typeof SignatureSummary.Type

/**
 * The upload check's verdict (core/signing/verify/verifyPdf.ts): 有效 / 签署后未被修改,
 * 有效 / 之后仅追加签名, 签名有效但文档在签署后被修改, 无效, no signature at all, or 无法确认
 * (only when revocation is checked).
 */
export const UploadVerdict = Schema.Literals(["unchanged", "signaturesAdded", "modified", "invalid", "unsigned", "unconfirmed"])
export type UploadVerdict = typeof UploadVerdict.Type

/** What the report stores besides the signatures: the verdict and, for a modified document, its changes in zh-CN. */
export const UploadCheck = Schema.Struct({ verdict: UploadVerdict, changes: Schema.Array(Schema.String) })

/** M3 上传本地合同: a contract signed elsewhere, kept with its verification report. */
export class LocalUpload extends Schema.Class<LocalUpload>("LocalUpload")({
  id: NumericId,
  ownerUserId: UserId,
  name: Schema.String,
  sha256: Schema.String,
  size: Schema.Int,
  createdAt: Millis,
  allValid: Schema.Boolean,
  signatures: Schema.Array(SignatureSummary),
  verdict: UploadVerdict,
  /** Changes made after signing that no rule allows (zh-CN), for verdict "modified". */
  changes: Schema.Array(Schema.String),
}) {}

/** Archive items are keyed `c:<contract number>` (signed here) or `u:<upload id>` (local). */
export type ItemKey = `c:${string}` | `u:${string}`

export interface ArchiveItem {
  readonly key: ItemKey
  readonly kind: "platform" | "local"
  readonly name: string
  readonly creator: string
  readonly createdAt: number
  readonly size: number | null
  readonly folderId: string | null
  /** M4: only local uploads can be deleted. */
  readonly deletable: boolean
}
