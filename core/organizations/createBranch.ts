import { Clock, Effect } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { NotFound } from "../kernel/errors.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { orgEvent } from "./orgActs.ts"
import { BranchNameTaken } from "./OrganizationErrors.ts"
import { Branch, headOfficeId, type BranchId } from "./Organization.ts"
import { ensureCan, orgScope, resourceAt } from "./orgScope.ts"

/**
 * E4 分公司: adds a branch below `parentId` (the head office when omitted).
 * Names are unique within the enterprise.
 */
export const createBranch = Effect.fn("organizations.createBranch")(function*(actorUserId: string, enterpriseId: string, name: string, parentId?: string) {
  const scope = yield* orgScope(actorUserId, enterpriseId)
  const parent = (parentId ?? headOfficeId(enterpriseId)) as BranchId
  if (!scope.org.branches.some((b) => b.id === parent)) return yield* new NotFound({ entity: "branch", id: parent })
  yield* ensureCan(scope, "branch.create", resourceAt(scope, parent))
  const branch = new Branch({
    id: (yield* (yield* IdGenerator).next) as string as BranchId, enterpriseId, parentId: parent, name, createdAt: yield* Clock.currentTimeMillis,
  })
  const insert = Effect.flatMap((yield* MembershipRepository).insertBranch(branch), (ok) => ok ? Effect.succeed(branch) : Effect.fail(new BranchNameTaken()))
  return yield* withEvidence(insert, orgEvent("branch.created", enterpriseId, actorUserId, { branch: branch.id, parent }))
})
