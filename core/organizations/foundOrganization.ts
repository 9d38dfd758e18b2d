import { Effect } from "effect"
import { RepositoryError } from "../kernel/errors.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import type { Enterprise } from "./Enterprise.ts"
import { Branch, HEAD_OFFICE_NAME, headOfficeId, MemberRecord } from "./Organization.ts"

/**
 * R2: an enterprise comes into existence with its head office (the root of its
 * branch tree) and its applicant as the one active admin. Called inside the
 * approval's transaction, so the enterprise never exists without them.
 */
export const foundOrganization = Effect.fn("organizations.found")(function*(enterprise: Enterprise) {
  const repo = yield* MembershipRepository
  const branch = new Branch({ id: headOfficeId(enterprise.id), enterpriseId: enterprise.id, parentId: null, name: HEAD_OFFICE_NAME, createdAt: enterprise.createdAt })
  const admin = new MemberRecord({
    enterpriseId: enterprise.id, userId: enterprise.adminUserId, branchId: branch.id, roles: ["admin"], department: null, active: true,
    version: 0, createdAt: enterprise.createdAt, updatedAt: enterprise.createdAt,
  })
  // A fresh enterprise id cannot have rows yet; if it does, something else is badly wrong: roll the approval back.
  if (!(yield* repo.insertBranch(branch)) || !(yield* repo.insertMember(admin))) {
    return yield* new RepositoryError({ operation: "organizations.found", cause: `enterprise ${enterprise.id} already has a head office` })
  }
  return { branch, admin }
})
