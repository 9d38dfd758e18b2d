import { Result, Schema } from "effect"
import type { Member } from "./permissions.ts"

/** The proposed new admin is not an active member of the enterprise, or already its admin. */
export class HandoverTargetInvalid extends Schema.TaggedError<HandoverTargetInvalid>()("HandoverTargetInvalid", {}) {}

/**
 * E1 更换管理员, final step: roles swap in one step, so the enterprise has
 * exactly one admin before and after (the old admin keeps the admin role until
 * the new one accepts). The old admin stays a member as an agent; the new
 * admin moves to the old admin's branch (the head office) so the whole tree is theirs.
 */
export const swapAdmin = (members: ReadonlyArray<Member>, newAdminUserId: string): Result.Result<ReadonlyArray<Member>, HandoverTargetInvalid> => {
  const target = members.find((m) => m.userId === newAdminUserId)
  if (target === undefined || !target.active || target.roles.includes("admin")) return Result.fail(new HandoverTargetInvalid())
  const adminBranch = members.find((m) => m.roles.includes("admin"))?.branchId ?? target.branchId
  return Result.succeed(members.map((m) => {
    // The new admin runs the whole tree from the head office: a branch admin role would be meaningless there.
    if (m.userId === newAdminUserId) return { ...m, branchId: adminBranch, roles: ["admin", ...m.roles.filter((r) => r !== "admin" && r !== "branchAdmin")] }
    if (m.roles.includes("admin")) {
      const rest = m.roles.filter((r) => r !== "admin")
      return { ...m, roles: rest.length === 0 ? ["agent"] : rest }
    }
    return m
  }))
}

export const adminCount = (members: ReadonlyArray<Member>): number => members.filter((m) => m.active && m.roles.includes("admin")).length
