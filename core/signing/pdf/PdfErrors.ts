/**
 * Typed failures of reading, signing and verifying a PDF. Each carries an
 * English `message` and a zh-CN `messageZh`, so no caller shows a stack trace
 * or an internal error text to a user.
 */
import { Schema } from "effect"

/** The input is not a PDF we can safely read or append to; `check` names the test that failed. */
export class PdfMalformed extends Schema.TaggedError<PdfMalformed>()("PdfMalformed", {
  check: Schema.String,
  reason: Schema.String,
}) {
  override get message(): string {
    return `malformed PDF (${this.check}): ${this.reason}`
  }
  get messageZh(): string {
    return `PDF 文件结构有误（${this.check}）：${this.reason}`
  }
}

/** The PDF is encrypted (trailer /Encrypt); Signet does not sign encrypted documents. */
export class PdfEncrypted extends Schema.TaggedError<PdfEncrypted>()("PdfEncrypted", { reason: Schema.String }) {
  override get message(): string {
    return `encrypted PDF: ${this.reason}`
  }
  get messageZh(): string {
    return "PDF 文件已加密，无法处理"
  }
}

/**
 * Reading the file would take more work than a PDF of its size can
 * legitimately need (decompression bombs, huge object counts, deep nesting,
 * object numbers from 2^31): refused before the work is done.
 */
export class PdfLimitExceeded extends Schema.TaggedError<PdfLimitExceeded>()("PdfLimitExceeded", {
  limit: Schema.Literals(["decoded bytes", "nesting depth", "cross-reference entries", "object number"]),
  value: Schema.Number,
  max: Schema.Number,
}) {
  override get message(): string {
    return `PDF exceeds the ${this.limit} limit (${this.value} > ${this.max})`
  }
  get messageZh(): string {
    const what = { "decoded bytes": "解压后的数据量", "nesting depth": "对象嵌套深度", "cross-reference entries": "交叉引用条目数", "object number": "对象编号" }[this.limit]
    return `PDF 文件超出处理上限：${what}（${this.value} > ${this.max}）`
  }
}

/** The requested page does not exist in the document. */
export class PageNotFound extends Schema.TaggedError<PageNotFound>()("PageNotFound", {
  page: Schema.Number,
  pageCount: Schema.Number,
}) {
  override get message(): string {
    return `page ${this.page} does not exist (the document has ${this.pageCount})`
  }
  get messageZh(): string {
    return `第 ${this.page} 页不存在（文档共 ${this.pageCount} 页）`
  }
}

/** A signature field with this name already exists; two fields with one /T break viewers. */
export class SignatureFieldNameTaken extends Schema.TaggedError<SignatureFieldNameTaken>()("SignatureFieldNameTaken", {
  name: Schema.String,
}) {
  override get message(): string {
    return `a signature field named ${this.name} already exists`
  }
  get messageZh(): string {
    return `签名域“${this.name}”已存在`
  }
}

/** The CMS (chain + timestamp) does not fit the /Contents gap reserved in the update. */
export class SignatureContentsTooSmall extends Schema.TaggedError<SignatureContentsTooSmall>()("SignatureContentsTooSmall", {
  needed: Schema.Number,
  reserved: Schema.Number,
}) {
  override get message(): string {
    return `the signature needs ${this.needed} bytes, ${this.reserved} were reserved`
  }
  get messageZh(): string {
    return `签名数据需要 ${this.needed} 字节，预留空间只有 ${this.reserved} 字节`
  }
}

/** The seal image is not a PNG we can embed. */
export class SealImageInvalid extends Schema.TaggedError<SealImageInvalid>()("SealImageInvalid", { reason: Schema.String }) {
  override get message(): string {
    return `seal image: ${this.reason}`
  }
  get messageZh(): string {
    return `印章图片无法使用：${this.reason}`
  }
}

/** The document's certification (DocMDP) forbids this signature. */
export class DocumentLocked extends Schema.TaggedError<DocumentLocked>()("DocumentLocked", { reason: Schema.String }) {
  override get message(): string {
    return `the document is locked: ${this.reason}`
  }
  get messageZh(): string {
    return `文档已被认证签名锁定，不能再修改：${this.reason}`
  }
}

export type PdfError =
  | PdfMalformed
  | PdfEncrypted
  | PdfLimitExceeded
  | PageNotFound
  | SignatureFieldNameTaken
  | SealImageInvalid
  | DocumentLocked
