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

export type ContractTransitionError =
  | ContractNotInProgress | ContractAlreadySent | ContractIncomplete | PartyNotOnContract | PartyAlreadyActed
  | SignerOutOfTurn | DeadlinePassed | DeadlineNotReached | RemindTooSoon
