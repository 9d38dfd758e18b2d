import { Context, type Effect, type Option } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"
import type { Member, Org } from "../organizations/permissions.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

/**
 * The enterprise tree and its members (E1-E4), as `can()` reads them.
 * The organizations issue adds the write side (members, invitations, branches,
 * handover); the two read calls below are what seals, signatures, contracts and
 * the API ask before every act, and their signatures do not change.
 */
export class OrganizationRepository extends Context.Service<OrganizationRepository, {
  /** The branch tree of an enterprise (the head office is the root, parentId null). */
  readonly org: (enterpriseId: string) => Op<Org>
  /** A member as `can()` needs it (inactive members are returned with active false). */
  readonly member: (enterpriseId: string, userId: string) => Op<Option.Option<Member>>
  /** Every enterprise where this user is an active member (for the account switcher). */
  readonly membershipsOf: (userId: string) => Op<ReadonlyArray<Member>>
}>()("core/ports/OrganizationRepository") {}
