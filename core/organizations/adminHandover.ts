import { Result, Schema } from "effect"
import type { Member } from "./permissions.ts"

/** The proposed new admin is not an active member of the enterprise, or already its admin. */
export class HandoverTargetInvalid extends Schema.TaggedError<HandoverTargetInvalid>()("HandoverTargetInvalid", {}) {}

/**
 * E1 更换管理员, final step: roles swap in one step, so the enterprise has
 * exactly one admin before and after (the old admin keeps the admin role until
 * the new one accepts). The old admin keeps their other roles (an agent when
 * they held none). The new admin keeps every role and the branch they held
 * (a 分公司管理员 stays one): the admin role alone makes the whole tree
 * theirs (`reachRoot`).
 */
export const swapAdmin = (members: ReadonlyArray<Member>, newAdminUserId: string): Result.Result<ReadonlyArray<Member>, HandoverTargetInvalid> => {
  const target = members.find((m) => m.userId === newAdminUserId)
  if (target === undefined || !target.active || target.roles.includes("admin")) return Result.fail(new HandoverTargetInvalid())
  return Result.succeed(members.map((m) => {
    if (m.userId === newAdminUserId) return { ...m, roles: ["admin", ...m.roles] }
    if (m.roles.includes("admin")) {
      const rest = m.roles.filter((r) => r !== "admin")
      return { ...m, roles: rest.length === 0 ? ["agent"] : rest }
    }
    return m
  }))
}

export const adminCount = (members: ReadonlyArray<Member>): number => members.filter((m) => m.active && m.roles.includes("admin")).length
