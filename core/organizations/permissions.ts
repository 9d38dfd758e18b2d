/**
 * Who may do what inside an enterprise (E1-E7, R2-R5): one pure function that
 * every organization use case and route asks. Pure data in, boolean out, so it
 * is property-tested over random org trees and role assignments.
 */
export type Role = "admin" | "agent" | "signatory" | "branchAdmin"

/**
 * 经办人 permissions, the manual's "添加经办人并设置相关权限": each turns on one
 * thing the agent role gives (发起签约, 用印, 查看全部合同, 管理模板). Stored
 * per membership; a member without a stored set keeps every one (as before).
 */
export type AgentPermission = "initiate" | "seal" | "viewAll" | "templates"
export const AGENT_PERMISSIONS: ReadonlyArray<AgentPermission> = ["initiate", "seal", "viewAll", "templates"]
/**
 * What an agent with no stored set may do: everything but 管理模板. Templates are the enterprise's, wider than any
 * branch: keeping them is given on purpose (by the admin on 编辑), never by an invitation from a branch.
 */
export const DEFAULT_AGENT_PERMISSIONS: ReadonlyArray<AgentPermission> = ["initiate", "seal", "viewAll"]

export type Action =
  | "enterprise.view" | "enterprise.handover"
  | "member.view" | "member.add" | "member.edit" | "member.deactivate"
  | "branch.create" | "branchAdmin.appoint"
  | "seal.view" | "seal.create" | "seal.disable" | "seal.authorize" | "seal.use"
  | "signature.manage" | "signature.delegate" | "signature.use"
  | "contract.initiate" | "contract.view" | "contract.viewAll" | "contract.reassign"
  | "template.manage"
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
  /** The agent's permissions (AgentPermission); absent or null: all of them. */
  readonly permissions?: ReadonlyArray<AgentPermission> | null | undefined
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
  /**
   * For a signature used through a delegation: the branch of the signatory
   * who delegated it. The delegation, not the agent's own branch, decides
   * where it may be used: within the signatory's subtree (and the delegation's
   * branch, checked by `liveDelegation`).
   */
  readonly ownerBranchId?: string | undefined
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

/**
 * The branch whose subtree a member reaches: the admin's is the head office
 * (the whole tree), whatever branch they also belong to for their other roles
 * (a 分公司管理员 who takes over as admin stays that branch's admin, and is
 * again after handing the admin role on); anyone else's is their own branch.
 */
export const reachRoot = (org: Org, member: Member): string =>
  member.roles.includes("admin") ? (org.branches.find((b) => b.parentId === null)?.id ?? member.branchId) : member.branchId

const ANY_MEMBER: ReadonlySet<Action> = new Set(["enterprise.view", "member.view", "seal.view", "contract.view"])

/** What each role may do on resources inside its subtree (grants and ownership checked below). */
const BY_ROLE: Record<Role, ReadonlySet<Action>> = {
  admin: new Set<Action>([
    "enterprise.handover", "member.add", "member.edit", "member.deactivate", "branch.create", "branchAdmin.appoint",
    "seal.create", "seal.disable", "seal.authorize", "seal.use", "contract.initiate", "contract.viewAll", "contract.reassign", "template.manage",
    // P4: API keys and webhook endpoints act for the whole enterprise.
    "api.manage",
    // 模板: the enterprise's contract templates, used by every member who may initiate.
    "template.manage",
  ]),
  // A branch admin runs the branch's seals and agents on their own (E4); only the admin makes seals (issue 16).
  branchAdmin: new Set<Action>(["member.add", "member.edit", "member.deactivate", "seal.disable", "seal.authorize", "seal.use", "contract.initiate", "contract.viewAll", "contract.reassign", "template.manage"]),
  // An agent initiates contracts and uses the seals and signatures granted to them; they appoint nobody (issue 16).
  // Each of these but signature.use can be switched off per agent (AgentPermission, issue 17).
  agent: new Set<Action>(["contract.initiate", "seal.use", "signature.use", "contract.viewAll", "template.manage"]),
  // A signatory owns personal signatures and decides who may use them (E6).
  signatory: new Set<Action>(["signature.manage", "signature.delegate", "signature.use", "contract.initiate", "contract.viewAll"]),
}

/** The agent permission an action given by the agent role needs (actions not listed need none). */
const PERMISSION_OF: Partial<Record<Action, AgentPermission>> = {
  "contract.initiate": "initiate", "seal.use": "seal", "contract.viewAll": "viewAll", "template.manage": "templates",
}

/**
 * Does a role give `actor` this action? The agent role gives an action only
 * with its permission switched on (a stored set, else DEFAULT_AGENT_PERMISSIONS); any
 * other role the member holds gives it regardless.
 */
const roleGives = (actor: Member, action: Action): boolean =>
  actor.roles.some((r) => {
    if (!BY_ROLE[r].has(action)) return false
    if (r !== "agent") return true
    const needed = PERMISSION_OF[action]
    return needed === undefined || (actor.permissions ?? DEFAULT_AGENT_PERMISSIONS).includes(needed)
  })

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
  for (const action of new Set([...ANY_MEMBER, ...member.roles.flatMap((r) => [...BY_ROLE[r]])])) {
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
 * own nor delegated to them (E6). A delegated signature is used wherever the
 * delegation covers (a "全部合同" delegation of a head-office signatory works
 * on head-office contracts for an agent of a branch), never beyond the
 * signatory's own subtree.
 */
export const can = (org: Org, actor: Member | undefined, action: Action, resource: Resource): boolean => {
  if (actor === undefined || !actor.active) return false
  if (actor.enterpriseId !== org.enterpriseId || resource.enterpriseId !== org.enterpriseId) return false
  if (!org.branches.some((b) => b.id === actor.branchId)) return false
  const delegatedUse = action === "signature.use" && resource.ownerUserId !== actor.userId && resource.grantedTo?.includes(actor.userId) === true
  const reachFrom = delegatedUse ? resource.ownerBranchId : reachRoot(org, actor)
  if (reachFrom === undefined || !subtree(org, reachFrom).has(resource.branchId)) return false
  const allowed = ANY_MEMBER.has(action) || roleGives(actor, action)
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
