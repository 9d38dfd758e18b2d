import { Effect, Option } from "effect"
import { createBranch } from "../../core/organizations/createBranch.ts"
import { inviteMember } from "../../core/organizations/inviteMember.ts"
import type { GrantableRole } from "../../core/organizations/Organization.ts"
import { acceptInvitation } from "../../core/organizations/respondInvitation.ts"
import { EnterpriseRepository } from "../../core/ports/EnterpriseRepository.ts"
import { MembershipRepository } from "../../core/ports/MembershipRepository.ts"
import { UserRepository } from "../../core/ports/UserRepository.ts"
import { ensureVerified } from "./verificationSeed.ts"

const DEMO_CREDIT_CODE = "91110108MA01A2B3CF"

/**
 * Demo workspace of 张三's enterprise (dev profile), made through the use
 * cases: a 上海分公司, 李四 (verified here with his dev identity) as agent of
 * the sales department, 王小明 as authorized signatory. Idempotent.
 */
export const seedOrganizations = Effect.gen(function*() {
  const users = yield* UserRepository
  const [zhang, li, wang] = [yield* users.findByMobile("13800000001"), yield* users.findByMobile("13800000002"), yield* users.findByMobile("13800000003")]
  const enterprise = yield* EnterpriseRepository.use((r) => r.findByCreditCode(DEMO_CREDIT_CODE))
  if (Option.isNone(zhang) || Option.isNone(li) || Option.isNone(wang) || Option.isNone(enterprise)) return
  const eid = enterprise.value.id
  const admin = enterprise.value.adminUserId
  const repo = yield* MembershipRepository
  if (!(yield* repo.branches(eid)).some((b) => b.name === "上海分公司")) yield* createBranch(admin, eid, "上海分公司")
  yield* ensureVerified(li.value)
  const join = (mobile: string, userId: string, role: GrantableRole, department: string) =>
    Effect.gen(function*() {
      if (Option.isSome(yield* repo.findMember(eid, userId))) return
      const invitation = yield* inviteMember(admin, eid, { mobile, role, department })
      yield* acceptInvitation(userId, invitation.id)
    })
  yield* join(li.value.mobile, li.value.id, "agent", "销售部")
  yield* join(wang.value.mobile, wang.value.id, "signatory", "总经办")
})
