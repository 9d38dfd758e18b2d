import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { TestClock } from "effect/testing"
import { enterpriseOf, layerOrganizationsTest, outcome, person } from "../../fixtures/organizations.ts"
import { lastCodeFor, TEST_EPOCH } from "../../fixtures/layers.ts"
import { SmsOutbox } from "../../adapters/sms/index.ts"
import { EnterpriseRepository } from "../ports/EnterpriseRepository.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { OrganizationRepository } from "../ports/OrganizationRepository.ts"
import type { EnterpriseId } from "./Enterprise.ts"
import { acceptHandover } from "./acceptHandover.ts"
import { adminCount } from "./adminHandover.ts"
import { createBranch } from "./createBranch.ts"
import { deactivateMember } from "./deactivateMember.ts"
import { editMember } from "./editMember.ts"
import { cancelHandover, requestHandover, requestHandoverCode } from "./handover.ts"
import { inviteMember } from "./inviteMember.ts"
import { headOfficeId } from "./Organization.ts"
import { saveMember } from "./orgActs.ts"
import { orgScope } from "./orgScope.ts"
import { acceptInvitation, declineInvitation } from "./respondInvitation.ts"
import { memberList, visibleBranchList } from "./workspace.ts"

const eventTypes = (enterpriseId: string) =>
  Effect.map(Effect.flatMap(EvidenceStore, (s) => s.eventsOf(`enterprise:${enterpriseId}`)), (es) => es.map((e) => e.type))
const membersOf = (enterpriseId: string) => Effect.map(Effect.flatMap(MembershipRepository, (r) => r.members(enterpriseId)), (ms) => ms.map((m) => m.member))
const roleOf = (enterpriseId: string, userId: string) =>
  Effect.map(Effect.flatMap(OrganizationRepository, (r) => r.member(enterpriseId, userId)), Option.map((m) => m.active ? m.roles.join(",") : "inactive"))

/** Invites by mobile and has the invitee accept. */
const join = (actor: string, enterpriseId: string, invitee: { id: string; mobile: string }, role: "agent" | "signatory" | "branchAdmin", branchId?: string) =>
  Effect.gen(function*() {
    const inv = yield* inviteMember(actor, enterpriseId, { mobile: invitee.mobile, role, branchId })
    return yield* acceptInvitation(invitee.id, inv.id)
  })

describe("enterprise workspace use cases (E1-E4)", () => {
  it.layer(layerOrganizationsTest)((it) => {
    it.effect("agents join by invitation of a verified user; signatories are linked the same way; every act is evidence", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const admin = yield* person("张三")
        const e = yield* enterpriseOf(admin)
        const li = yield* person("李四")
        const unverified = yield* person("赵六", false)
        expect(yield* outcome(inviteMember(admin.id, e.id, { mobile: "13999999999", role: "agent" }))).toBe("InviteeNotRegistered")
        expect(yield* outcome(inviteMember(admin.id, e.id, { mobile: unverified.mobile, role: "agent" }))).toBe("InviteeNotVerified")

        const inv = yield* inviteMember(admin.id, e.id, { mobile: li.mobile, role: "agent", department: "销售部" })
        // Nothing changes until the invitee accepts; one invitation at a time.
        expect(yield* roleOf(e.id, li.id)).toEqual(Option.none())
        expect(yield* outcome(inviteMember(admin.id, e.id, { mobile: li.mobile, role: "signatory" }))).toBe("InvitationAlreadyPending")
        expect(yield* outcome(acceptInvitation(admin.id, inv.id))).toBe("NotFound")
        const joined = yield* acceptInvitation(li.id, inv.id)
        expect([joined.roles, joined.department, joined.branchId]).toEqual([["agent"], "销售部", headOfficeId(e.id)])
        expect(yield* outcome(acceptInvitation(li.id, inv.id))).toBe("InvitationClosed")
        expect(yield* outcome(inviteMember(admin.id, e.id, { mobile: li.mobile, role: "agent" }))).toBe("AlreadyInRole")

        // An agent may not add members; a declined invitation changes nothing.
        const wang = yield* person("王小明")
        expect(yield* outcome(inviteMember(li.id, e.id, { mobile: wang.mobile, role: "agent" }))).toBe("Forbidden")
        const declined = yield* inviteMember(admin.id, e.id, { mobile: wang.mobile, role: "signatory" })
        yield* declineInvitation(wang.id, declined.id)
        expect(yield* outcome(acceptInvitation(wang.id, declined.id))).toBe("InvitationClosed")
        expect(yield* roleOf(e.id, wang.id)).toEqual(Option.none())
        // E3: a signatory, and an agent who also becomes a signatory.
        yield* join(admin.id, e.id, wang, "signatory")
        yield* join(admin.id, e.id, li, "signatory")
        expect([yield* roleOf(e.id, wang.id), yield* roleOf(e.id, li.id)]).toEqual([Option.some("signatory"), Option.some("agent,signatory")])

        expect(yield* eventTypes(e.id)).toEqual([
          "member.invited", "member.added", "member.invited", "member.declined", "member.invited", "signatory.linked", "member.invited", "signatory.linked",
        ])
      }))

    it.effect("edit sets department and roles within the rules; 注销 takes rights away at once; the admin is neither", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const admin = yield* person("张三")
        const e = yield* enterpriseOf(admin)
        const agent = yield* person("李四")
        yield* join(admin.id, e.id, agent, "agent")
        const edited = yield* editMember(admin.id, e.id, agent.id, { department: "法务部", roles: ["agent"] })
        expect([edited.department, edited.version]).toEqual(["法务部", 1])
        expect(yield* outcome(editMember(admin.id, e.id, agent.id, { department: null, roles: [] }))).toBe("RolesRequired")
        expect(yield* outcome(editMember(admin.id, e.id, agent.id, { department: null, roles: ["agent", "signatory"] }))).toBe("RoleNeedsInvitation")
        expect(yield* outcome(editMember(admin.id, e.id, agent.id, { department: null, roles: ["branchAdmin"] }))).toBe("NotABranch")
        expect(yield* outcome(editMember(agent.id, e.id, admin.id, { department: "x", roles: [] }))).toBe("Forbidden")
        // The admin's own record: department yes, the admin role stays whatever is asked.
        const self = yield* editMember(admin.id, e.id, admin.id, { department: "总经办", roles: [] })
        expect(self.roles).toEqual(["admin"])
        expect(yield* outcome(deactivateMember(admin.id, e.id, admin.id))).toBe("AdminRoleFixed")

        expect(yield* outcome(orgScope(agent.id, e.id))).toBe("success")
        yield* deactivateMember(admin.id, e.id, agent.id)
        // The very next act of the deactivated agent is refused: rights are read afresh.
        expect(yield* outcome(orgScope(agent.id, e.id))).toBe("Forbidden")
        expect(yield* outcome(inviteMember(agent.id, e.id, { mobile: admin.mobile, role: "branchAdmin" }))).toBe("Forbidden")
        expect(yield* outcome(editMember(admin.id, e.id, agent.id, { department: null, roles: ["agent"] }))).toBe("MemberInactive")
        expect((yield* (yield* OrganizationRepository).membershipsOf(agent.id)).length).toBe(0)
        // Re-invited, they come back with the new invitation's role.
        yield* join(admin.id, e.id, agent, "signatory")
        expect(yield* roleOf(e.id, agent.id)).toEqual(Option.some("signatory"))
        expect((yield* eventTypes(e.id)).filter((t) => t === "member.edited" || t === "member.deactivated")).toEqual(["member.edited", "member.edited", "member.deactivated"])
      }))

    it.effect("branches: the admin appoints branch admins (agents do not), who run their branch and see nothing of its siblings", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const admin = yield* person("张三")
        const e = yield* enterpriseOf(admin)
        const agent = yield* person("李四")
        yield* join(admin.id, e.id, agent, "agent")
        expect(yield* outcome(createBranch(agent.id, e.id, "上海分公司"))).toBe("Forbidden")
        const sh = yield* createBranch(admin.id, e.id, "上海分公司")
        const bj = yield* createBranch(admin.id, e.id, "北京分公司")
        const pudong = yield* createBranch(admin.id, e.id, "浦东营业部", sh.id)
        expect(yield* outcome(createBranch(admin.id, e.id, "上海分公司"))).toBe("BranchNameTaken")

        const shBoss = yield* person("陈静")
        expect(yield* outcome(inviteMember(admin.id, e.id, { mobile: shBoss.mobile, role: "branchAdmin" }))).toBe("NotABranch")
        expect(yield* outcome(inviteMember(agent.id, e.id, { mobile: shBoss.mobile, role: "branchAdmin", branchId: sh.id }))).toBe("Forbidden")
        yield* join(admin.id, e.id, shBoss, "branchAdmin", sh.id)
        const bjAgent = yield* person("赵敏")
        yield* join(admin.id, e.id, bjAgent, "agent", bj.id)
        // The Shanghai admin adds an agent in Pudong, not in Beijing, and cannot create branches or appoint.
        const pdAgent = yield* person("孙七")
        yield* join(shBoss.id, e.id, pdAgent, "agent", pudong.id)
        const other = yield* person("周八")
        expect(yield* outcome(inviteMember(shBoss.id, e.id, { mobile: other.mobile, role: "agent", branchId: bj.id }))).toBe("Forbidden")
        expect(yield* outcome(deactivateMember(shBoss.id, e.id, bjAgent.id))).toBe("Forbidden")
        expect(yield* outcome(editMember(shBoss.id, e.id, bjAgent.id, { department: null, roles: ["agent"] }))).toBe("Forbidden")
        expect(yield* outcome(createBranch(shBoss.id, e.id, "静安营业部", sh.id))).toBe("Forbidden")

        const seen = yield* memberList(shBoss.id, e.id)
        expect(seen.branches.map((b) => b.name)).toEqual(["上海分公司", "浦东营业部"])
        expect(seen.members.map((m) => m.name).sort()).toEqual(["孙七", "陈静"].sort())
        expect((yield* visibleBranchList(admin.id, e.id)).branches.map((b) => b.name)).toEqual(["总公司", "上海分公司", "北京分公司", "浦东营业部"])
        expect((yield* memberList(admin.id, e.id)).members.length).toBe(5)
        expect((yield* eventTypes(e.id)).filter((t) => t === "branch.created" || t === "branchAdmin.appointed")).toEqual([
          "branch.created", "branch.created", "branch.created", "branchAdmin.appointed",
        ])
      }))

    it.effect("admin handover: SMS-confirmed request, old admin keeps rights until acceptance; cancel; expiry after 72 h; atomic swap", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const admin = yield* person("张三")
        const e = yield* enterpriseOf(admin)
        const agent = yield* person("李四")
        yield* join(admin.id, e.id, agent, "agent")
        const outsider = yield* person("王小明")
        expect(yield* outcome(requestHandoverCode(agent.id, e.id, outsider.mobile))).toBe("Forbidden")
        expect(yield* outcome(requestHandoverCode(admin.id, e.id, admin.mobile))).toBe("HandoverTargetInvalid")

        // A code sent for handing over to someone else does not confirm this handover.
        yield* requestHandoverCode(admin.id, e.id, agent.mobile)
        expect(yield* outcome(requestHandover(admin.id, e.id, outsider.mobile, yield* lastCodeFor(admin.mobile)))).toBe("OtpNotRequested")
        yield* TestClock.adjust("61 seconds")
        yield* requestHandoverCode(admin.id, e.id, outsider.mobile)
        const first = yield* requestHandover(admin.id, e.id, outsider.mobile, yield* lastCodeFor(admin.mobile))
        expect(first.status).toBe("pending")
        // Until accepted, the old admin stays admin and acts as such.
        expect(yield* roleOf(e.id, admin.id)).toEqual(Option.some("admin"))
        expect(yield* outcome(createBranch(admin.id, e.id, "深圳分公司"))).toBe("success")
        expect(yield* outcome(requestHandoverCode(admin.id, e.id, agent.mobile))).toBe("HandoverAlreadyPending")
        expect(yield* outcome(acceptHandover(agent.id, first.id))).toBe("NotFound")
        yield* cancelHandover(admin.id, e.id)
        expect(yield* outcome(acceptHandover(outsider.id, first.id))).toBe("HandoverClosed")

        yield* TestClock.adjust("61 seconds")
        yield* requestHandoverCode(admin.id, e.id, outsider.mobile)
        const second = yield* requestHandover(admin.id, e.id, outsider.mobile, yield* lastCodeFor(admin.mobile))
        yield* TestClock.adjust("72 hours")
        expect(yield* outcome(acceptHandover(outsider.id, second.id))).toBe("HandoverExpired")
        expect(yield* roleOf(e.id, admin.id)).toEqual(Option.some("admin"))

        yield* TestClock.adjust("61 seconds")
        yield* requestHandoverCode(admin.id, e.id, outsider.mobile)
        const third = yield* requestHandover(admin.id, e.id, outsider.mobile, yield* lastCodeFor(admin.mobile))
        yield* acceptHandover(outsider.id, third.id)
        expect([yield* roleOf(e.id, outsider.id), yield* roleOf(e.id, admin.id)]).toEqual([Option.some("admin"), Option.some("agent")])
        const members = yield* membersOf(e.id)
        expect(adminCount(members)).toBe(1)
        const after = yield* (yield* EnterpriseRepository).findById(e.id)
        expect(Option.map(after, (x) => x.adminUserId)).toEqual(Option.some(outsider.id))
        // The old admin lost the admin's rights with the acceptance.
        expect(yield* outcome(createBranch(admin.id, e.id, "广州分公司"))).toBe("Forbidden")
        expect(yield* outcome(acceptHandover(outsider.id, third.id))).toBe("HandoverClosed")
        expect((yield* eventTypes(e.id)).filter((t) => t.startsWith("handover."))).toEqual([
          "handover.requested", "handover.cancelled", "handover.requested", "handover.expired", "handover.requested", "handover.accepted",
        ])
      }))

    it.effect("handover keeps the roles both sides held besides admin and texts each its real roles (issue 17)", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const [admin, next, agent] = [yield* person("周一"), yield* person("吴二"), yield* person("郑三")]
        const e = yield* enterpriseOf(admin, "交接示例有限公司")
        const south = yield* createBranch(admin.id, e.id, "华南分公司")
        yield* join(admin.id, e.id, next, "branchAdmin", south.id)
        yield* join(admin.id, e.id, next, "signatory")
        yield* join(admin.id, e.id, agent, "agent", south.id)
        // The admin also signs (有权签字人), as the admin did: a role of their own besides the admin's.
        const before = Option.getOrThrow(yield* (yield* MembershipRepository).findMember(e.id, admin.id))
        yield* saveMember(before, { roles: ["admin", "signatory"] }, TEST_EPOCH)
        yield* requestHandoverCode(admin.id, e.id, next.mobile)
        const request = yield* requestHandover(admin.id, e.id, next.mobile, yield* lastCodeFor(admin.mobile))
        yield* acceptHandover(next.id, request.id)
        // The new admin is still 华南分公司's branch admin and a signatory, now admin of the whole tree.
        expect(yield* roleOf(e.id, next.id)).toEqual(Option.some("admin,branchAdmin,signatory"))
        const nextMember = Option.getOrThrow(yield* (yield* OrganizationRepository).member(e.id, next.id))
        expect(nextMember.branchId).toBe(south.id)
        expect(yield* outcome(createBranch(next.id, e.id, "华北分公司"))).toBe("success")
        // The old admin keeps what they held besides admin (an agent only when nothing is left).
        expect(yield* roleOf(e.id, admin.id)).toEqual(Option.some("signatory"))
        // Each side's text names the roles the member list shows.
        const [oldText] = yield* (yield* SmsOutbox).recent(1, admin.mobile)
        const [newText] = yield* (yield* SmsOutbox).recent(1, next.mobile)
        expect(oldText?.text).toContain("交接示例有限公司 的新管理员已接受邀请，企业管理员已更换，您在该企业的角色现为：有权签字人。")
        expect(newText?.text).toContain("您已成为 交接示例有限公司 的企业管理员，您在该企业的角色现为：管理员、分公司管理员、有权签字人。")
        // Handing the admin role on again gives the branch admin back their branch only.
        yield* TestClock.adjust("61 seconds")
        yield* requestHandoverCode(next.id, e.id, admin.mobile)
        const back = yield* requestHandover(next.id, e.id, admin.mobile, yield* lastCodeFor(next.mobile))
        yield* acceptHandover(admin.id, back.id)
        expect(yield* roleOf(e.id, next.id)).toEqual(Option.some("branchAdmin,signatory"))
        expect(yield* outcome(createBranch(next.id, e.id, "西南分公司"))).toBe("Forbidden")
      }))

    it.effect("the other enterprise's ids are refused", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const [a, b] = [yield* person("张三"), yield* person("李四")]
        const ea = yield* enterpriseOf(a, "甲公司")
        const eb = yield* enterpriseOf(b, "乙公司")
        const bBranch = yield* createBranch(b.id, eb.id, "乙分公司")
        const agentOfB = yield* person("王小明")
        yield* join(b.id, eb.id, agentOfB, "agent")
        const c = yield* person("赵敏")
        expect(yield* outcome(inviteMember(a.id, eb.id, { mobile: c.mobile, role: "agent" }))).toBe("NotFound")
        expect(yield* outcome(inviteMember(a.id, ea.id, { mobile: c.mobile, role: "agent", branchId: bBranch.id }))).toBe("NotFound")
        expect(yield* outcome(createBranch(a.id, ea.id, "甲分公司", bBranch.id))).toBe("NotFound")
        expect(yield* outcome(deactivateMember(a.id, ea.id, agentOfB.id))).toBe("NotFound")
        expect(yield* outcome(deactivateMember(a.id, eb.id, agentOfB.id))).toBe("NotFound")
        expect(yield* outcome(editMember(a.id, ea.id, agentOfB.id, { department: null, roles: ["agent"] }))).toBe("NotFound")
        expect(yield* outcome(memberList(a.id, eb.id))).toBe("NotFound")
        expect(yield* outcome(orgScope(a.id, "1234567890123456789" as EnterpriseId))).toBe("NotFound")
        expect(yield* roleOf(eb.id, agentOfB.id)).toEqual(Option.some("agent"))
      }))
  })
})
