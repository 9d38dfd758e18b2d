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
  | "contract.initiate" | "contract.view"
  | "api.manage"

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
    "seal.create", "seal.disable", "seal.authorize", "seal.use", "contract.initiate",
    // P4: API keys and webhook endpoints act for the whole enterprise.
    "api.manage",
  ]),
  // A branch admin runs the branch's seals and agents on their own (E4).
  branchAdmin: new Set<Action>(["member.add", "member.edit", "member.deactivate", "seal.create", "seal.disable", "seal.authorize", "seal.use", "contract.initiate"]),
  // An agent initiates contracts, may appoint branch admins (E4), and uses the seals and signatures granted to them.
  agent: new Set<Action>(["branchAdmin.appoint", "contract.initiate", "seal.use", "signature.use"]),
  // A signatory owns personal signatures and decides who may use them (E6).
  signatory: new Set<Action>(["signature.manage", "signature.delegate", "signature.use", "contract.initiate"]),
}

/**
 * May `actor` do `action` to `resource`? False for anyone outside the
 * enterprise, for a deactivated member (at once, E2), for anything outside the
 * actor's branch subtree (E4: siblings see nothing of each other), for using a
 * seal not authorized to the actor (E5), and for using or managing a personal
 * signature that is neither the actor's own nor delegated to them (E6).
 */
export const can = (org: Org, actor: Member | undefined, action: Action, resource: Resource): boolean => {
  if (actor === undefined || !actor.active) return false
  if (actor.enterpriseId !== org.enterpriseId || resource.enterpriseId !== org.enterpriseId) return false
  if (!org.branches.some((b) => b.id === actor.branchId)) return false
  if (!subtree(org, actor.branchId).has(resource.branchId)) return false
  const allowed = ANY_MEMBER.has(action) || actor.roles.some((r) => BY_ROLE[r].has(action))
  if (!allowed) return false
  switch (action) {
    case "seal.use":
      return resource.grantedTo?.includes(actor.userId) === true
    case "signature.manage":
    case "signature.delegate":
      return resource.ownerUserId === actor.userId
    case "signature.use":
      return resource.ownerUserId === actor.userId || resource.grantedTo?.includes(actor.userId) === true
    default:
      return true
  }
}
