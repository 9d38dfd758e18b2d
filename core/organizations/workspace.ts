/** What the workspace pages show, each filtered to what the actor may see (E4: nothing of sibling branches). */
import { Effect, Option } from "effect"
import { EnterpriseRepository } from "../ports/EnterpriseRepository.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import type { Enterprise, EnterpriseId } from "./Enterprise.ts"
import { expireIfDue, pendingHandoverOf } from "./handover.ts"
import { openInvitations } from "./invitationLifetime.ts"
import type { Branch, HandoverRequest, Invitation } from "./Organization.ts"
import { ensureCan, orgScope, resourceAt, visibleBranches } from "./orgScope.ts"

/** The branches the actor sees (their subtree), head office first. */
export const visibleBranchList = Effect.fn("organizations.branches")(function*(actorUserId: string, enterpriseId: string) {
  const scope = yield* orgScope(actorUserId, enterpriseId)
  const seen = visibleBranches(scope)
  const branches = (yield* (yield* MembershipRepository).branches(enterpriseId)).filter((b) => seen.has(b.id))
  return { scope, branches }
})

/** 成员信息: members and pending invitations of the branches the actor sees. */
export const memberList = Effect.fn("organizations.members")(function*(actorUserId: string, enterpriseId: string) {
  const { scope, branches } = yield* visibleBranchList(actorUserId, enterpriseId)
  yield* ensureCan(scope, "member.view", resourceAt(scope))
  const repo = yield* MembershipRepository
  const seen = new Set(branches.map((b) => b.id as string))
  const members = (yield* repo.members(enterpriseId)).filter((m) => seen.has(m.member.branchId))
  const invitations = yield* openInvitations((yield* repo.invitationsOf(enterpriseId, "pending")).filter((i) => seen.has(i.branchId)))
  // Who each invitation is for, so the inviting side can tell them apart (and withdraw the right one).
  const users = yield* UserRepository
  const invitees = new Map<string, { readonly mobile: string; readonly name: string | null }>()
  for (const i of invitations) {
    const user = yield* users.findById(i.inviteeUserId)
    if (Option.isSome(user)) invitees.set(i.inviteeUserId, { mobile: user.value.mobile, name: user.value.name })
  }
  return { scope, branches, members, invitations, invitees }
})

/** The handover page: the pending request (expired ones closed on the way), for the admin only. */
export const handoverStatus = Effect.fn("organizations.handoverStatus")(function*(actorUserId: string, enterpriseId: string) {
  const scope = yield* orgScope(actorUserId, enterpriseId)
  yield* ensureCan(scope, "enterprise.handover", resourceAt(scope, enterpriseId))
  return { scope, pending: yield* pendingHandoverOf(enterpriseId) }
})

export interface InboxItem<A> {
  readonly item: A
  readonly enterprise: Enterprise
  readonly branch: Branch | undefined
}

/** 企业邀请: what waits for this user's answer (invitations, handover requests), with the enterprises' names. */
export const inbox = Effect.fn("organizations.inbox")(function*(userId: string) {
  const repo = yield* MembershipRepository
  const enterprises = yield* EnterpriseRepository
  const withNames = <A extends { readonly enterpriseId: string }>(items: ReadonlyArray<A>, branchOf: (a: A) => string | null) =>
    Effect.gen(function*() {
      const out: Array<InboxItem<A>> = []
      for (const item of items) {
        const e = yield* enterprises.findById(item.enterpriseId as EnterpriseId)
        if (Option.isNone(e)) continue
        const b = branchOf(item)
        const branch = b === null ? undefined : (yield* repo.branches(item.enterpriseId)).find((x) => x.id === b)
        out.push({ item, enterprise: e.value, branch })
      }
      return out
    })
  const invitations = yield* withNames<Invitation>(yield* openInvitations(yield* repo.invitationsFor(userId)), (i) => i.branchId)
  const live: Array<HandoverRequest> = []
  for (const h of yield* repo.handoversFor(userId)) if (!(yield* expireIfDue(h))) live.push(h)
  return { invitations, handovers: yield* withNames<HandoverRequest>(live, () => null) }
})
