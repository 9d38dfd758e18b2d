import { Schema } from "effect"

/** No account is registered with this mobile number. */
export class InviteeNotRegistered extends Schema.TaggedError<InviteeNotRegistered>()("InviteeNotRegistered", {}) {}

/** The person has not completed personal real-name verification (V1); only verified users join an enterprise or take it over. */
export class InviteeNotVerified extends Schema.TaggedError<InviteeNotVerified>()("InviteeNotVerified", {}) {}

/** The person already holds this role in the enterprise. */
export class AlreadyInRole extends Schema.TaggedError<AlreadyInRole>()("AlreadyInRole", { role: Schema.String }) {}

/** An invitation of this person to this enterprise is already waiting for their answer. */
export class InvitationAlreadyPending extends Schema.TaggedError<InvitationAlreadyPending>()("InvitationAlreadyPending", {}) {}

/** The invitation was already accepted, declined, withdrawn, or it expired. */
export class InvitationClosed extends Schema.TaggedError<InvitationClosed>()("InvitationClosed", {}) {}

/** A branch of this name exists already in the enterprise. */
export class BranchNameTaken extends Schema.TaggedError<BranchNameTaken>()("BranchNameTaken", {}) {}

/** Branch admins run a branch (分公司), not the head office. */
export class NotABranch extends Schema.TaggedError<NotABranch>()("NotABranch", {}) {}

/** The admin role is neither given, taken away nor deactivated except by handover (E1). */
export class AdminRoleFixed extends Schema.TaggedError<AdminRoleFixed>()("AdminRoleFixed", {}) {}

/** A signatory's role is given only by an invitation they accept (their personal signature is at stake, E3). */
export class RoleNeedsInvitation extends Schema.TaggedError<RoleNeedsInvitation>()("RoleNeedsInvitation", { role: Schema.String }) {}

/** A member must keep at least one role; to take all away, deactivate (注销) them. */
export class RolesRequired extends Schema.TaggedError<RolesRequired>()("RolesRequired", {}) {}

/** The member was deactivated (注销); nothing more can be changed about them. */
export class MemberInactive extends Schema.TaggedError<MemberInactive>()("MemberInactive", {}) {}

/** Someone else changed this member meanwhile; nothing was written, reload and try again. */
export class MemberChanged extends Schema.TaggedError<MemberChanged>()("MemberChanged", {}) {}

/** A handover is already waiting for the new admin; cancel it before asking another person. */
export class HandoverAlreadyPending extends Schema.TaggedError<HandoverAlreadyPending>()("HandoverAlreadyPending", {}) {}

/** The handover request is no longer pending (accepted, cancelled or expired). */
export class HandoverClosed extends Schema.TaggedError<HandoverClosed>()("HandoverClosed", {}) {}

/** The 72 hours to accept have passed; the current admin stays admin and may ask again. */
export class HandoverExpired extends Schema.TaggedError<HandoverExpired>()("HandoverExpired", {}) {}

export type OrganizationError =
  | InviteeNotRegistered | InviteeNotVerified | AlreadyInRole | InvitationAlreadyPending | InvitationClosed | BranchNameTaken | NotABranch
  | AdminRoleFixed | RoleNeedsInvitation | RolesRequired | MemberInactive | MemberChanged | HandoverAlreadyPending | HandoverClosed | HandoverExpired
