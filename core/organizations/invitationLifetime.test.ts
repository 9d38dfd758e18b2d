import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { TestClock } from "effect/testing"
import { SmsOutbox } from "../../adapters/sms/index.ts"
import { TEST_EPOCH } from "../../fixtures/layers.ts"
import { enterpriseOf, layerOrganizationsTest, outcome, person } from "../../fixtures/organizations.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { createBranch } from "./createBranch.ts"
import { withdrawInvitation } from "./invitationLifetime.ts"
import { inviteMember } from "./inviteMember.ts"
import { INVITATION_TTL_MS } from "./Organization.ts"
import { acceptInvitation, declineInvitation } from "./respondInvitation.ts"
import { inbox, memberList } from "./workspace.ts"

const eventTypes = (enterpriseId: string) =>
  Effect.map(Effect.flatMap(EvidenceStore, (s) => s.eventsOf(`enterprise:${enterpriseId}`)), (es) => es.map((e) => e.type))
const statusOf = (id: string) => Effect.map(MembershipRepository.use((r) => r.findInvitation(id as never)), Option.map((i) => i.status))
const lastText = (mobile: string) => Effect.map(SmsOutbox.use((o) => o.recent(1, mobile)), (ms) => ms[0]?.text)

describe("invitations after they are sent: 撤回 and lapse (E2-E4)", () => {
  it.layer(layerOrganizationsTest)((it) => {
    it.effect("whoever may send it withdraws a pending invitation; the invitee is told and can no longer accept; other enterprises and agents cannot", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const admin = yield* person("张三")
        const e = yield* enterpriseOf(admin)
        const li = yield* person("李四")
        const inv = yield* inviteMember(admin.id, e.id, { mobile: li.mobile, role: "agent" })

        // Another enterprise's admin does not find it (under either enterprise id); an agent of this one may not withdraw it.
        const otherAdmin = yield* person("赵六")
        const other = yield* enterpriseOf(otherAdmin, "另一家科技有限公司")
        expect(yield* outcome(withdrawInvitation(otherAdmin.id, other.id, inv.id))).toBe("NotFound")
        expect(yield* outcome(withdrawInvitation(otherAdmin.id, e.id, inv.id))).toBe("NotFound")
        const agent = yield* person("王小明")
        yield* acceptInvitation(agent.id, (yield* inviteMember(admin.id, e.id, { mobile: agent.mobile, role: "agent" })).id)
        expect(yield* outcome(withdrawInvitation(agent.id, e.id, inv.id))).toBe("Forbidden")
        expect(yield* statusOf(inv.id)).toEqual(Option.some("pending"))

        yield* withdrawInvitation(admin.id, e.id, inv.id)
        expect(yield* statusOf(inv.id)).toEqual(Option.some("cancelled"))
        expect(yield* lastText(li.mobile)).toContain("已撤回")
        expect(yield* outcome(acceptInvitation(li.id, inv.id))).toBe("InvitationClosed")
        expect(yield* outcome(withdrawInvitation(admin.id, e.id, inv.id))).toBe("InvitationClosed")
        expect((yield* memberList(admin.id, e.id)).invitations).toEqual([])
        expect((yield* inbox(li.id)).invitations).toEqual([])
        // A new invitation may be sent after a withdrawn one.
        yield* inviteMember(admin.id, e.id, { mobile: li.mobile, role: "agent" })
        expect((yield* eventTypes(e.id)).filter((t) => t.startsWith("member.invit"))).toEqual(["member.invited", "member.invited", "member.invitation_withdrawn", "member.invited"])
      }))

    it.effect("an invitation lapses after seven days: not accepted, not listed, no obstacle to a new one; the lapse is evidence", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const admin = yield* person("张三")
        const e = yield* enterpriseOf(admin)
        const branch = yield* createBranch(admin.id, e.id, "上海分公司")
        const li = yield* person("李四")
        const wang = yield* person("王小明")
        const first = yield* inviteMember(admin.id, e.id, { mobile: li.mobile, role: "agent" })
        const second = yield* inviteMember(admin.id, e.id, { mobile: wang.mobile, role: "branchAdmin", branchId: branch.id })

        // One millisecond before the end it still counts.
        yield* TestClock.setTime(TEST_EPOCH + INVITATION_TTL_MS - 1)
        expect((yield* memberList(admin.id, e.id)).invitations.map((i) => i.id)).toEqual([second.id, first.id])
        expect((yield* inbox(li.id)).invitations.map((i) => i.item.id)).toEqual([first.id])

        yield* TestClock.setTime(TEST_EPOCH + INVITATION_TTL_MS)
        expect(yield* outcome(acceptInvitation(li.id, first.id))).toBe("InvitationClosed")
        expect(yield* outcome(declineInvitation(wang.id, second.id))).toBe("InvitationClosed")
        expect((yield* memberList(admin.id, e.id)).invitations).toEqual([])
        expect([yield* statusOf(first.id), yield* statusOf(second.id)]).toEqual([Option.some("expired"), Option.some("expired")])
        expect(yield* outcome(withdrawInvitation(admin.id, e.id, first.id))).toBe("InvitationClosed")
        const again = yield* inviteMember(admin.id, e.id, { mobile: li.mobile, role: "agent" })
        yield* acceptInvitation(li.id, again.id)
        expect((yield* eventTypes(e.id)).filter((t) => t === "member.invitation_expired")).toHaveLength(2)
      }))
  })
})
