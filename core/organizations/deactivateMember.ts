import { Clock, Effect } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { orgEvent, saveMember } from "./orgActs.ts"
import { AdminRoleFixed } from "./OrganizationErrors.ts"
import { targetMember } from "./editMember.ts"
import { orgScope } from "./orgScope.ts"

/**
 * E2 注销: the member loses every right in the enterprise at once (rights are
 * read from the database on every request). The admin cannot be deactivated;
 * hand the role over first (E1). The record stays, marked inactive, for the
 * evidence and the usage logs that name them.
 */
export const deactivateMember = Effect.fn("organizations.deactivateMember")(function*(actorUserId: string, enterpriseId: string, userId: string) {
  const scope = yield* orgScope(actorUserId, enterpriseId)
  const before = yield* targetMember(scope, userId, "member.deactivate")
  if (before.roles.includes("admin")) return yield* new AdminRoleFixed()
  const now = yield* Clock.currentTimeMillis
  return yield* withEvidence(saveMember(before, { active: false }, now), orgEvent("member.deactivated", enterpriseId, actorUserId, { branch: before.branchId }))
})
