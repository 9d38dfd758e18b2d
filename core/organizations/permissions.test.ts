import { describe, expect, it } from "vitest"
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { Result } from "effect"
import { adminCount, swapAdmin } from "./adminHandover.ts"
import { AGENT_PERMISSIONS, can, mayGiveRole, reachRoot, type AgentPermission, powersAt, rolePowersAt, subtree, type Action, type Member, type Org, type Resource, type Role } from "./permissions.ts"

const ACTIONS: ReadonlyArray<Action> = [
  "enterprise.view", "enterprise.handover", "member.view", "member.add", "member.edit", "member.deactivate", "branch.create",
  "branchAdmin.appoint", "seal.view", "seal.create", "seal.disable", "seal.authorize", "seal.use", "signature.manage",
  "signature.delegate", "signature.use", "contract.initiate", "contract.view", "contract.viewAll", "contract.reassign", "template.manage", "api.manage",
]
const ROLES: ReadonlyArray<Role> = ["admin", "agent", "signatory", "branchAdmin"]

/** A random branch tree: b0 is the head office, every other branch hangs below an earlier one. */
const arbOrg: fc.Arbitrary<Org> = fc.array(fc.nat(), { minLength: 0, maxLength: 8 }).map((parents) => ({
  enterpriseId: "e1",
  branches: [{ id: "b0", parentId: null }, ...parents.map((p, i) => ({ id: `b${i + 1}`, parentId: `b${p % (i + 1)}` }))],
}))

const arbWorld = arbOrg.chain((org) => {
  const branch = fc.constantFrom(...org.branches.map((b) => b.id))
  const users = ["u0", "u1", "u2", "u3", "u4"]
  const member = fc.record({
    userId: fc.constantFrom(...users),
    enterpriseId: fc.constantFrom("e1", "e1", "e1", "e2"),
    roles: fc.subarray([...ROLES]),
    branchId: branch,
    active: fc.boolean(),
  })
  const resource = fc.record({
    enterpriseId: fc.constantFrom("e1", "e1", "e2"),
    branchId: branch,
    ownerUserId: fc.option(fc.constantFrom(...users), { nil: undefined }),
    grantedTo: fc.option(fc.subarray(users), { nil: undefined }),
    ownerBranchId: fc.option(branch, { nil: undefined }),
  })
  return fc.record({ org: fc.constant(org), actor: member, action: fc.constantFrom(...ACTIONS), resource })
})

describe("can(actor, action, resource) (E1-E7)", () => {
  test.prop([arbWorld], { numRuns: 2000 })("nobody acts outside their enterprise or their branch subtree, but a delegated signature works where its signatory reaches", ({ org, actor, action, resource }) => {
    if (can(org, actor, action, resource)) {
      expect(actor.enterpriseId).toBe(org.enterpriseId)
      expect(resource.enterpriseId).toBe(org.enterpriseId)
      const delegated = action === "signature.use" && resource.ownerUserId !== actor.userId
      if (delegated) expect(subtree(org, resource.ownerBranchId!).has(resource.branchId)).toBe(true)
      else expect(subtree(org, reachRoot(org, actor)).has(resource.branchId)).toBe(true)
      if (!actor.roles.includes("admin") && !delegated) expect(subtree(org, actor.branchId).has(resource.branchId)).toBe(true)
    }
  })

  it("经办人 permissions: each one switched off takes exactly its act away (发起签约, 用印, 查看全部合同, 管理模板); other roles still give theirs", () => {
    const org: Org = { enterpriseId: "e1", branches: [{ id: "hq", parentId: null }] }
    const at: Resource = { enterpriseId: "e1", branchId: "hq", grantedTo: ["u1"], ownerUserId: "s0", ownerBranchId: "hq" }
    const agent = (permissions: ReadonlyArray<AgentPermission> | null): Member => ({ userId: "u1", enterpriseId: "e1", roles: ["agent"], branchId: "hq", active: true, permissions })
    const acts: Record<AgentPermission, Action> = { initiate: "contract.initiate", seal: "seal.use", viewAll: "contract.viewAll", templates: "template.manage" }
    // No stored set (invited, or added before): what the agent role always gave, and not 管理模板 (given on purpose only).
    for (const p of AGENT_PERMISSIONS) expect(can(org, agent(null), acts[p], at)).toBe(p !== "templates")
    for (const off of AGENT_PERMISSIONS) {
      const rest = AGENT_PERMISSIONS.filter((p) => p !== off)
      const member = agent(rest)
      expect(can(org, member, acts[off], at)).toBe(false)
      for (const on of rest) expect(can(org, member, acts[on], at)).toBe(true)
      // What no permission governs stays: a delegated signature, seeing the contract list.
      expect(can(org, member, "signature.use", at)).toBe(true)
      expect(can(org, member, "contract.view", at)).toBe(true)
    }
    // All off; an agent who is also a signatory still initiates and views all as a signatory.
    const none = agent([])
    expect(Object.values(acts).map((a) => can(org, none, a, at))).toEqual([false, false, false, false])
    const alsoSignatory: Member = { ...none, roles: ["agent", "signatory"] }
    expect([can(org, alsoSignatory, "contract.initiate", at), can(org, alsoSignatory, "contract.viewAll", at), can(org, alsoSignatory, "seal.use", at)]).toEqual([true, true, false])
    // Permissions never reach beyond the agent role: an admin's are ignored.
    expect(can(org, { ...none, roles: ["admin"] }, "seal.use", { ...at, grantedTo: [] })).toBe(true)
  })

  it("a branch agent holding a 全部合同 delegation of a head-office signatory signs head-office contracts; a branch signatory's delegation stays in its branch", () => {
    const org: Org = { enterpriseId: "e1", branches: [{ id: "hq", parentId: null }, { id: "a", parentId: "hq" }, { id: "b", parentId: "hq" }] }
    const agentOfA: Member = { userId: "u1", enterpriseId: "e1", roles: ["agent"], branchId: "a", active: true }
    const delegated: Resource = { enterpriseId: "e1", branchId: "hq", ownerUserId: "s0", ownerBranchId: "hq", grantedTo: ["u1"] }
    expect(can(org, agentOfA, "signature.use", delegated)).toBe(true)
    expect(can(org, agentOfA, "signature.use", { ...delegated, branchId: "b" })).toBe(true)
    // Without the delegation the agent reaches only its own branch; a branch-b signatory's signature never reaches hq.
    expect(can(org, agentOfA, "signature.use", { ...delegated, grantedTo: [] })).toBe(false)
    expect(can(org, agentOfA, "signature.use", { ...delegated, ownerBranchId: "b" })).toBe(false)
    expect(can(org, agentOfA, "signature.use", { ...delegated, ownerBranchId: undefined })).toBe(false)
    // The delegation does not widen anything else: seals and contracts of hq stay out of the agent's reach.
    expect(can(org, agentOfA, "seal.use", { enterpriseId: "e1", branchId: "hq", grantedTo: ["u1"] })).toBe(false)
    expect(can(org, { ...agentOfA, active: false }, "signature.use", delegated)).toBe(false)
  })

  test.prop([arbWorld])("a deactivated member can do nothing", ({ org, actor, action, resource }) => {
    expect(can(org, { ...actor, active: false }, action, resource)).toBe(false)
  })

  test.prop([arbWorld])("seals are used only by the admin and members they are authorized to; signatures only by owner or delegate", ({ org, actor, resource }) => {
    if (can(org, actor, "seal.use", resource) && !actor.roles.includes("admin")) expect(resource.grantedTo).toContain(actor.userId)
    if (can(org, actor, "signature.use", resource)) {
      expect(resource.ownerUserId === actor.userId || resource.grantedTo?.includes(actor.userId)).toBe(true)
    }
    if (can(org, actor, "signature.delegate", resource)) expect(resource.ownerUserId).toBe(actor.userId)
  })

  test.prop([arbWorld])("only the admin hands over", ({ org, actor, resource }) => {
    if (can(org, actor, "enterprise.handover", resource)) expect(actor.roles).toContain("admin")
  })

  test.prop([arbWorld])("only the admin manages API keys and webhooks (P4)", ({ org, actor, resource }) => {
    if (can(org, actor, "api.manage", resource)) expect(actor.roles).toContain("admin")
    const withoutAdmin = { ...actor, roles: actor.roles.filter((r) => r !== "admin") }
    expect(can(org, withoutAdmin, "api.manage", resource)).toBe(false)
  })

  test.prop([arbWorld])("nobody gives a role, a grant or a delegation to themselves (issue 16)", ({ org, actor, resource }) => {
    for (const action of ["member.add", "member.edit", "branchAdmin.appoint", "seal.authorize", "signature.delegate", "contract.reassign"] as const) {
      expect(can(org, actor, action, { ...resource, subjectUserId: actor.userId })).toBe(false)
    }
  })

  test.prop([arbWorld, fc.constantFrom<Role>(...ROLES), fc.constantFrom("u0", "u1", "u2", "u3", "u4")], { numRuns: 1000 })(
    "nobody gives more than they hold: a role given at a branch has no power the giver lacks there; agents and signatories give none",
    ({ org, actor, resource }, role, subject) => {
      if (!mayGiveRole(org, actor, role, resource.branchId, subject)) return
      expect(subject).not.toBe(actor.userId)
      expect(role).not.toBe("admin")
      expect(actor.roles.some((r) => r === "admin" || r === "branchAdmin")).toBe(true)
      if (role === "branchAdmin") expect(actor.roles).toContain("admin")
      const held = powersAt(org, actor, resource.branchId)
      for (const a of rolePowersAt(org, role, resource.branchId)) expect(held.has(a)).toBe(true)
    },
  )

  it("a branch admin of A cannot touch B's seal; the head office admin can", () => {
    const org: Org = { enterpriseId: "e1", branches: [{ id: "hq", parentId: null }, { id: "a", parentId: "hq" }, { id: "b", parentId: "hq" }] }
    const branchAdmin: Member = { userId: "u1", enterpriseId: "e1", roles: ["branchAdmin"], branchId: "a", active: true }
    const admin: Member = { userId: "u0", enterpriseId: "e1", roles: ["admin"], branchId: "hq", active: true }
    const sealOfB: Resource = { enterpriseId: "e1", branchId: "b", grantedTo: ["u1", "u0"] }
    expect(can(org, branchAdmin, "seal.use", sealOfB)).toBe(false)
    expect(can(org, branchAdmin, "seal.view", sealOfB)).toBe(false)
    expect(can(org, branchAdmin, "seal.use", { ...sealOfB, branchId: "a" })).toBe(true)
    expect(can(org, admin, "seal.disable", sealOfB)).toBe(true)
    // The admin holds every seal of the enterprise (nobody, the admin included, authorizes a seal to themselves).
    expect(can(org, admin, "seal.use", { ...sealOfB, grantedTo: [] })).toBe(true)
    expect(can(org, admin, "api.manage", { enterpriseId: "e1", branchId: "hq" })).toBe(true)
    expect(can(org, branchAdmin, "api.manage", { enterpriseId: "e1", branchId: "a" })).toBe(false)
  })
})

describe("admin handover (E1)", () => {
  const arbMembers = fc.array(fc.record({ roles: fc.subarray(["agent", "signatory", "branchAdmin"] as Array<Role>), active: fc.boolean() }), { minLength: 1, maxLength: 6 })
    .map((ms): Array<Member> => [
      { userId: "admin", enterpriseId: "e1", roles: ["admin"], branchId: "b0", active: true },
      ...ms.map((m, i) => ({ userId: `u${i}`, enterpriseId: "e1", branchId: "b0", ...m })),
    ])

  test.prop([arbMembers, fc.nat()])("exactly one admin before and after; the target must be an active member", (members, pick) => {
    expect(adminCount(members)).toBe(1)
    const target = members[pick % members.length]!
    const r = swapAdmin(members, target.userId)
    if (Result.isSuccess(r)) {
      expect(adminCount(r.success)).toBe(1)
      expect(r.success.find((m) => m.roles.includes("admin"))?.userId).toBe(target.userId)
      expect(r.success.find((m) => m.userId === "admin")?.roles).toEqual(["agent"])
    } else {
      expect(!target.active || target.userId === "admin").toBe(true)
      expect(adminCount(members)).toBe(1)
    }
  })
})
