import { Effect, Option, Schema } from "effect"
import { Forbidden, NotFound } from "../kernel/errors.ts"
import { EnterpriseRepository } from "../ports/EnterpriseRepository.ts"
import { OrganizationRepository } from "../ports/OrganizationRepository.ts"
import { EnterpriseId, type Enterprise } from "./Enterprise.ts"
import { headOfficeId } from "./Organization.ts"
import { can, reachRoot, subtree, type Action, type Member, type Org, type Resource } from "./permissions.ts"

/** What a request inside an enterprise acts with: the enterprise, its tree, and the actor as a member. */
export interface OrgScope {
  readonly enterprise: Enterprise
  readonly org: Org
  readonly member: Member
}

/**
 * Loads the enterprise and the user's membership afresh (E2: rights are read
 * from the database on every request, so a deactivation takes effect at the
 * next one). Someone who is not a member gets "not found" (ids reveal
 * nothing); a deactivated member gets Forbidden.
 */
export const orgScope = Effect.fn("organizations.scope")(function*(userId: string, enterpriseId: string) {
  const id = Schema.decodeUnknownOption(EnterpriseId)(enterpriseId)
  if (Option.isNone(id)) return yield* new NotFound({ entity: "enterprise", id: enterpriseId })
  const enterprise = yield* (yield* EnterpriseRepository).findById(id.value)
  const orgs = yield* OrganizationRepository
  const member = yield* orgs.member(enterpriseId, userId)
  if (Option.isNone(enterprise) || Option.isNone(member)) return yield* new NotFound({ entity: "enterprise", id: enterpriseId })
  if (!member.value.active) return yield* new Forbidden({ reason: "member deactivated" })
  const scope: OrgScope = { enterprise: enterprise.value, org: yield* orgs.org(enterpriseId), member: member.value }
  return scope
})

/** A resource at `branchId` of the scope's enterprise (where the actor reaches from when omitted: the admin's head office, anyone else's own branch). */
export const resourceAt = (scope: OrgScope, branchId?: string, extra: Omit<Resource, "enterpriseId" | "branchId"> = {}): Resource => ({
  ...extra, enterpriseId: scope.org.enterpriseId, branchId: branchId ?? reachRoot(scope.org, scope.member),
})

/** The head office as a resource: enterprise-wide acts (handover, creating top-level branches) are checked against it. */
export const headOffice = (scope: OrgScope): Resource => resourceAt(scope, headOfficeId(scope.org.enterpriseId))

/** `can()` for the scope's actor. */
export const scopeCan = (scope: OrgScope, action: Action, resource: Resource = resourceAt(scope)): boolean => can(scope.org, scope.member, action, resource)

/** Fails with Forbidden unless the actor may do `action` to `resource`. */
export const ensureCan = (scope: OrgScope, action: Action, resource: Resource = resourceAt(scope)) =>
  scopeCan(scope, action, resource) ? Effect.void : Effect.fail(new Forbidden({ reason: action }))

/** Branch ids the actor sees (their subtree): a branch admin sees nothing of sibling branches (E4). */
export const visibleBranches = (scope: OrgScope): ReadonlySet<string> => subtree(scope.org, reachRoot(scope.org, scope.member))

/** The account switcher's list: every enterprise where the user is an active member, with their roles there. */
export const myEnterprises = Effect.fn("organizations.myEnterprises")(function*(userId: string) {
  const memberships = yield* (yield* OrganizationRepository).membershipsOf(userId)
  const enterprises = yield* EnterpriseRepository
  const out: Array<{ readonly enterprise: Enterprise; readonly member: Member }> = []
  for (const member of memberships) {
    const e = yield* enterprises.findById(member.enterpriseId as EnterpriseId)
    if (Option.isSome(e)) out.push({ enterprise: e.value, member })
  }
  return out
})
