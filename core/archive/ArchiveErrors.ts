import { Schema } from "effect"

/** The user already has a folder with this name. */
export class FolderNameTaken extends Schema.TaggedError<FolderNameTaken>()("FolderNameTaken", {}) {}

/** Only an empty folder can be deleted (M2). */
export class FolderNotEmpty extends Schema.TaggedError<FolderNotEmpty>()("FolderNotEmpty", { items: Schema.Number }) {}

/** Contracts signed on the platform cannot be deleted; only local uploads can (M4). */
export class ArchiveItemNotDeletable extends Schema.TaggedError<ArchiveItemNotDeletable>()("ArchiveItemNotDeletable", {}) {}

/** The uploaded file is not a readable PDF. */
export class UploadNotPdf extends Schema.TaggedError<UploadNotPdf>()("UploadNotPdf", { reason: Schema.String }) {}
