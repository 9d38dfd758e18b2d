/**
 * Who may do what inside an enterprise (E1-E7, R2-R5): one pure function that
 * every organization use case and route asks. Pure data in, boolean out, so it
 * is property-tested over random org trees and role assignments.
 */
export type Role = "admin" | "agent" | "signatory" | "branchAdmin"

export type Action =
  | "enterprise.view" | "enterprise.handover"
  | "member.view" | "member.add" | "member.edit" | "member.deactivate"
  | "branch.create" | "branchAdmin.appoint"
  | "seal.view" | "seal.create" | "seal.disable" | "seal.authorize" | "seal.use"
  | "signature.manage" | "signature.delegate" | "signature.use"
  | "contract.initiate" | "contract.view" | "contract.reassign"
  | "api.manage"
  | "template.manage"

export interface Branch {
  readonly id: string
  /** null for the head office (总公司), the root of the tree. */
  readonly parentId: string | null
}

export interface Org {
  readonly enterpriseId: string
  readonly branches: ReadonlyArray<Branch>
}

export interface Member {
  readonly userId: string
  readonly enterpriseId: string
  readonly roles: ReadonlyArray<Role>
  /** The branch the member belongs to; its subtree is all the member can see or touch. */
  readonly branchId: string
  readonly active: boolean
}

export interface Resource {
  readonly enterpriseId: string
  readonly branchId: string
  /** A personal signature's owner (the signatory). */
  readonly ownerUserId?: string | undefined
  /** Members a seal is authorized to / a signature is delegated to (live grants only). */
  readonly grantedTo?: ReadonlyArray<string> | undefined
  /** Who an act would give a role, a grant or a delegation to (never the actor themselves). */
  readonly subjectUserId?: string | undefined
}

/** Branch ids of `root`'s subtree (itself included). */
export const subtree = (org: Org, root: string): ReadonlySet<string> => {
  const out = new Set<string>([root])
  let grew = true
  while (grew) {
    grew = false
    for (const b of org.branches) {
      if (b.parentId !== null && out.has(b.parentId) && !out.has(b.id)) {
        out.add(b.id)
        grew = true
      }
    }
  }
  return out
}

const ANY_MEMBER: ReadonlySet<Action> = new Set(["enterprise.view", "member.view", "seal.view", "contract.view"])

/** What each role may do on resources inside its subtree (grants and ownership checked below). */
const BY_ROLE: Record<Role, ReadonlySet<Action>> = {
  admin: new Set<Action>([
    "enterprise.handover", "member.add", "member.edit", "member.deactivate", "branch.create", "branchAdmin.appoint",
    "seal.create", "seal.disable", "seal.authorize", "seal.use", "contract.initiate", "contract.reassign",
    // P4: API keys and webhook endpoints act for the whole enterprise.
    "api.manage",
    // 模板: the enterprise's contract templates, used by every member who may initiate.
    "template.manage",
  ]),
  // A branch admin runs the branch's seals and agents on their own (E4); only the admin makes seals (issue 16).
  branchAdmin: new Set<Action>(["member.add", "member.edit", "member.deactivate", "seal.disable", "seal.authorize", "seal.use", "contract.initiate", "contract.reassign"]),
  // An agent initiates contracts and uses the seals and signatures granted to them; they appoint nobody (issue 16).
  agent: new Set<Action>(["contract.initiate", "seal.use", "signature.use"]),
  // A signatory owns personal signatures and decides who may use them (E6).
  signatory: new Set<Action>(["signature.manage", "signature.delegate", "signature.use", "contract.initiate"]),
}

/** Acts that give someone a role, a grant or a delegation: nobody does them to themselves. */
const GIVING: ReadonlySet<Action> = new Set(["member.add", "member.edit", "branchAdmin.appoint", "seal.authorize", "signature.delegate", "contract.reassign"])

/** Acts allowed only through a grant or ownership of the thing (not by a role alone). */
const GATED: ReadonlySet<Action> = new Set(["seal.use", "signature.manage", "signature.delegate", "signature.use"])

/**
 * What a member may do at `branchId` by their roles alone (grants and
 * ownership aside): the measure of "nobody gives more than they hold".
 */
export const powersAt = (org: Org, member: Member, branchId: string): ReadonlySet<Action> => {
  const out = new Set<Action>()
  const resource: Resource = { enterpriseId: org.enterpriseId, branchId }
  for (const action of [...ANY_MEMBER, ...member.roles.flatMap((r) => [...BY_ROLE[r]])]) {
    if (!GATED.has(action) && can(org, member, action, resource)) out.add(action)
  }
  return out
}

/** The powers a role gives at a branch (for a fresh member holding only that role there). */
export const rolePowersAt = (org: Org, role: Role, branchId: string): ReadonlySet<Action> =>
  powersAt(org, { userId: "", enterpriseId: org.enterpriseId, roles: [role], branchId, active: true }, branchId)

/**
 * May `actor` give `role` to `subjectUserId` at `branchId`? Only to someone
 * else, only where they may add members (or appoint branch admins, for that
 * role), and only a role whose powers there they hold themselves.
 */
export const mayGiveRole = (org: Org, actor: Member | undefined, role: Role, branchId: string, subjectUserId: string): boolean => {
  if (actor === undefined || role === "admin") return false
  const resource: Resource = { enterpriseId: org.enterpriseId, branchId, subjectUserId }
  if (!can(org, actor, role === "branchAdmin" ? "branchAdmin.appoint" : "member.add", resource)) return false
  const held = powersAt(org, actor, branchId)
  return [...rolePowersAt(org, role, branchId)].every((a) => held.has(a))
}

/**
 * May `actor` do `action` to `resource`? False for anyone outside the
 * enterprise, for a deactivated member (at once, E2), for anything outside the
 * actor's branch subtree (E4: siblings see nothing of each other), for giving
 * a role, grant or delegation to themselves (issue 16), for using a seal not
 * authorized to the actor (E5; the admin holds every seal of the enterprise),
 * and for using or managing a personal signature that is neither the actor's
 * own nor delegated to them (E6).
 */
export const can = (org: Org, actor: Member | undefined, action: Action, resource: Resource): boolean => {
  if (actor === undefined || !actor.active) return false
  if (actor.enterpriseId !== org.enterpriseId || resource.enterpriseId !== org.enterpriseId) return false
  if (!org.branches.some((b) => b.id === actor.branchId)) return false
  if (!subtree(org, actor.branchId).has(resource.branchId)) return false
  const allowed = ANY_MEMBER.has(action) || actor.roles.some((r) => BY_ROLE[r].has(action))
  if (!allowed) return false
  if (GIVING.has(action) && resource.subjectUserId === actor.userId) return false
  switch (action) {
    case "seal.use":
      return actor.roles.includes("admin") || resource.grantedTo?.includes(actor.userId) === true
    case "signature.manage":
    case "signature.delegate":
      return resource.ownerUserId === actor.userId
    case "signature.use":
      return resource.ownerUserId === actor.userId || resource.grantedTo?.includes(actor.userId) === true
    default:
      return true
  }
}
