import { Schema } from "effect"

/** The contract is not being signed any more (draft not sent, or completed/rejected/revoked/expired). */
export class ContractNotInProgress extends Schema.TaggedError<ContractNotInProgress>()("ContractNotInProgress", {
  status: Schema.String,
}) {}

/** Only a draft can be sent. */
export class ContractAlreadySent extends Schema.TaggedError<ContractAlreadySent>()("ContractAlreadySent", {}) {}

/** A contract needs at least one party and a deadline in the future to be sent. */
export class ContractIncomplete extends Schema.TaggedError<ContractIncomplete>()("ContractIncomplete", {
  reason: Schema.Literals(["no-parties", "deadline-passed", "duplicate-party"]),
}) {}

/** The party is not on this contract. */
export class PartyNotOnContract extends Schema.TaggedError<PartyNotOnContract>()("PartyNotOnContract", {
  party: Schema.String,
}) {}

/** The party has already signed (or rejected): an act happens once. */
export class PartyAlreadyActed extends Schema.TaggedError<PartyAlreadyActed>()("PartyAlreadyActed", {
  party: Schema.String,
}) {}

/** Sequential signing: a party ahead of this one has not signed yet. */
export class SignerOutOfTurn extends Schema.TaggedError<SignerOutOfTurn>()("SignerOutOfTurn", {
  party: Schema.String,
  waitingFor: Schema.String,
}) {}

/** The signing deadline has passed; the contract expires and nobody can act on it. */
export class DeadlinePassed extends Schema.TaggedError<DeadlinePassed>()("DeadlinePassed", {}) {}

/** Expiry was asked for before the deadline. */
export class DeadlineNotReached extends Schema.TaggedError<DeadlineNotReached>()("DeadlineNotReached", {}) {}

/** A party is reminded at most once an hour (C5). */
export class RemindTooSoon extends Schema.TaggedError<RemindTooSoon>()("RemindTooSoon", {
  retryAfterSeconds: Schema.Number,
}) {}

/** The uploaded file is not a PDF that can be signed (malformed, encrypted, too large). */
export class ContractDocumentInvalid extends Schema.TaggedError<ContractDocumentInvalid>()("ContractDocumentInvalid", {
  reason: Schema.String,
}) {}

/**
 * A signing field (signature, seal, date box) is on a page the document lacks, for no party, a seal for a
 * person, or off its page (C1): the first such box (0-based `index`), its kind and page, and the document's page count.
 */
export class ContractFieldsInvalid extends Schema.TaggedError<ContractFieldsInvalid>()("ContractFieldsInvalid", {
  problem: Schema.Literals(["pageMissing", "noParty", "sealForPerson", "outsidePage"]),
  index: Schema.Number,
  kind: Schema.Literals(["signature", "seal", "date"]),
  page: Schema.Number,
  pages: Schema.Number,
}) {}

/** Only a draft (not sent yet) can be edited or deleted. */
export class ContractNotDraft extends Schema.TaggedError<ContractNotDraft>()("ContractNotDraft", {
  status: Schema.String,
}) {}

/** Only the initiator may do this (revoke, remind). */
export class NotInitiator extends Schema.TaggedError<NotInitiator>()("NotInitiator", {}) {}

/** A contract is handed only to another active member who may initiate at its branch (issue 16). */
export class HandoverTargetInvalid extends Schema.TaggedError<HandoverTargetInvalid>()("ContractHandoverTargetInvalid", { userId: Schema.String }) {}

/** Sending a contract texts other people: the sender must be personally verified first (issue 16). */
export class InitiatorNotVerified extends Schema.TaggedError<InitiatorNotVerified>()("InitiatorNotVerified", {}) {}

/** Today's texts for this account, or to one of these numbers, are used up (issue 16); nothing was sent. */
export class SmsQuotaExceeded extends Schema.TaggedError<SmsQuotaExceeded>()("SmsQuotaExceeded", {
  limit: Schema.Literals(["account", "recipient"]),
}) {}

/** Too many writers at once on one contract; the act was not applied and may be retried. */
export class ContractBusy extends Schema.TaggedError<ContractBusy>()("ContractBusy", {}) {}

export type ContractTransitionError =
  | ContractNotInProgress | ContractAlreadySent | ContractIncomplete | PartyNotOnContract | PartyAlreadyActed
  | SignerOutOfTurn | DeadlinePassed | DeadlineNotReached | RemindTooSoon

/**
 * An enterprise party cannot be added (C1): no verified enterprise has that
 * name, several do, the branch is not one of it, the member named to sign is
 * not an active member of it, or the enterprise is on the contract twice.
 */
export class EnterprisePartyInvalid extends Schema.TaggedError<EnterprisePartyInvalid>()("EnterprisePartyInvalid", {
  index: Schema.Int,
  name: Schema.String,
  reason: Schema.Literals(["not-found", "ambiguous", "branch-not-found", "signer-not-member", "duplicate"]),
}) {}

/** The initiator may not initiate for that enterprise (not an active member, or no contract.initiate right at that branch). */
export class InitiatorNotAllowed extends Schema.TaggedError<InitiatorNotAllowed>()("InitiatorNotAllowed", {
  enterpriseId: Schema.String,
}) {}

/** An enterprise party signs with a seal and a signatory's signature: one of them was not chosen. */
export class EnterpriseSigningIncomplete extends Schema.TaggedError<EnterpriseSigningIncomplete>()("EnterpriseSigningIncomplete", {
  missing: Schema.Literals(["seal", "signatory"]),
}) {}

/** A template's fields or boxes cannot be used (off their page, a role it does not have, keys repeated); `reason` is zh-CN. */
export class TemplateLayoutInvalid extends Schema.TaggedError<TemplateLayoutInvalid>()("TemplateLayoutInvalid", {
  reason: Schema.String,
}) {}

/** A fill-in value of a template is missing or unusable; `key` names the field, `reason` is zh-CN. */
export class TemplateValuesInvalid extends Schema.TaggedError<TemplateValuesInvalid>()("TemplateValuesInvalid", {
  key: Schema.String,
  reason: Schema.String,
}) {}
