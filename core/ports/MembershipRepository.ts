import { Context, type Effect, type Option } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"
import type { Branch, HandoverId, HandoverRequest, HandoverStatus, Invitation, InvitationId, InvitationStatus, MemberRecord, MemberView } from "../organizations/Organization.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

/**
 * The write side of organizations (E1-E4) and the details the workspace pages
 * show: branches with names, members with department and version,
 * invitations, admin handover requests. `OrganizationRepository` stays the
 * small read side `can()` needs. Conditional writes return false when the row
 * was not in the expected state (a concurrent change won); use cases then fail
 * and their transaction rolls back.
 */
export class MembershipRepository extends Context.Service<MembershipRepository, {
  /** False when a branch of that name exists in the enterprise (or the id is taken). */
  readonly insertBranch: (branch: Branch) => Op<boolean>
  /** Every branch of the enterprise, head office first, then by creation. */
  readonly branches: (enterpriseId: string) => Op<ReadonlyArray<Branch>>

  readonly findMember: (enterpriseId: string, userId: string) => Op<Option.Option<MemberRecord>>
  /** Every member (active or not) with account mobile and verified name, head office first, then by joining. */
  readonly members: (enterpriseId: string) => Op<ReadonlyArray<MemberView>>
  /** False when the user is already a member (active or not), or when it would be a second active admin. */
  readonly insertMember: (member: MemberRecord) => Op<boolean>
  /** Writes `member` (whose version is the next one) only if the stored version is `member.version - 1`. */
  readonly updateMember: (member: MemberRecord) => Op<boolean>
  /** Keeps `Enterprise.adminUserId` equal to the member holding the admin role. */
  readonly setEnterpriseAdmin: (enterpriseId: string, userId: string) => Op<void>

  readonly insertInvitation: (invitation: Invitation) => Op<void>
  readonly findInvitation: (id: InvitationId) => Op<Option.Option<Invitation>>
  /** Pending invitations addressed to this user, newest first. */
  readonly invitationsFor: (userId: string) => Op<ReadonlyArray<Invitation>>
  /** Invitations of an enterprise in this status, newest first. */
  readonly invitationsOf: (enterpriseId: string, status: InvitationStatus) => Op<ReadonlyArray<Invitation>>
  /** Moves a pending invitation to `status`; false when it was no longer pending. */
  readonly decideInvitation: (id: InvitationId, status: Exclude<InvitationStatus, "pending">, at: number) => Op<boolean>

  /** False when the enterprise already has a pending request (at most one at a time). */
  readonly insertHandover: (request: HandoverRequest) => Op<boolean>
  readonly findHandover: (id: HandoverId) => Op<Option.Option<HandoverRequest>>
  readonly pendingHandover: (enterpriseId: string) => Op<Option.Option<HandoverRequest>>
  /** Pending requests addressed to this user (as the new admin), newest first. */
  readonly handoversFor: (userId: string) => Op<ReadonlyArray<HandoverRequest>>
  /** Moves a pending request to `status`; false when it was no longer pending. */
  readonly decideHandover: (id: HandoverId, status: Exclude<HandoverStatus, "pending">, at: number) => Op<boolean>
}>()("core/ports/MembershipRepository") {}
