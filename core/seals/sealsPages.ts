/**
 * What the 印章管理 and 签名管理 pages show, gathered in one call each:
 * seals or signatures with branch and member names, and the choices the
 * actor has (branches they may add seals to, members they may authorize,
 * agents they may delegate to). Only what the actor's subtree holds.
 */
import { Effect } from "effect"
import type { Branch, MemberView } from "../organizations/Organization.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { SealRepository } from "../ports/SealRepository.ts"
import { resourceAt, scopeCan, visibleBranches, type OrgScope } from "../organizations/orgScope.ts"
import { can } from "../organizations/permissions.ts"
import { listSeals, sealDetails } from "./seals.ts"
import type { Seal } from "./sealsModel.ts"
import { signatureDetails } from "./signatures.ts"

const people = Effect.fn("seals.people")(function*(scope: OrgScope) {
  const repo = yield* MembershipRepository
  const visible = visibleBranches(scope)
  const branches = (yield* repo.branches(scope.org.enterpriseId)).filter((b) => visible.has(b.id))
  const members = yield* repo.members(scope.org.enterpriseId)
  const names = new Map<string, string>(members.map((m) => [m.member.userId, m.name ?? m.mobile]))
  return { branches, members, names }
})

export interface SealsOverview {
  readonly rows: ReadonlyArray<{ readonly seal: Seal; readonly grantees: ReadonlyArray<string> }>
  readonly branches: ReadonlyArray<Branch>
  /** Branches the actor may add a seal to. */
  readonly creatable: ReadonlyArray<Branch>
  /** Seals the actor may enable and disable. */
  readonly manageable: ReadonlySet<string>
  readonly names: ReadonlyMap<string, string>
}

/** 印章管理 list. */
export const sealsOverview = Effect.fn("seals.overview")(function*(scope: OrgScope) {
  const { branches, names } = yield* people(scope)
  const rows = yield* listSeals(scope)
  return {
    rows,
    branches,
    creatable: branches.filter((b) => scopeCan(scope, "seal.create", resourceAt(scope, b.id))),
    manageable: new Set(rows.filter((r) => scopeCan(scope, "seal.disable", resourceAt(scope, r.seal.branchId))).map((r) => r.seal.id)),
    names,
  } satisfies SealsOverview as SealsOverview
})

/** A seal's page: details, names, and the members the actor may still authorize (not themselves; the admin holds every seal already). */
export const sealOverview = Effect.fn("seals.sealOverview")(function*(scope: OrgScope, sealId: string) {
  const details = yield* sealDetails(scope, sealId)
  const { branches, members, names } = yield* people(scope)
  const resource = resourceAt(scope, details.seal.branchId)
  const live = new Set(details.grants.filter((g) => g.revokedAt === null).map((g) => g.userId))
  const grantable: ReadonlyArray<MemberView> = members.filter((m) =>
    !live.has(m.member.userId) && m.member.userId !== scope.member.userId && !m.member.roles.includes("admin") &&
    can(scope.org, m.member, "seal.use", { ...resource, grantedTo: [m.member.userId] }))
  return {
    ...details,
    branchName: branches.find((b) => b.id === details.seal.branchId)?.name ?? "",
    names,
    grantable,
    mayAuthorize: scopeCan(scope, "seal.authorize", resource),
    mayDisable: scopeCan(scope, "seal.disable", resource),
  }
})

/**
 * 签名管理: a signatory's own signature, delegations and usage log, the
 * agents they may delegate to; for everyone, the delegations made to them.
 */
export const signaturesOverview = Effect.fn("signatures.overview")(function*(scope: OrgScope) {
  const { branches, members, names } = yield* people(scope)
  const self = scope.member.userId
  const own = scopeCan(scope, "signature.manage", resourceAt(scope, undefined, { ownerUserId: self }))
  const details = own ? yield* signatureDetails(scope) : null
  const agents = members.filter((m) => m.member.active && m.member.roles.includes("agent") && m.member.userId !== self)
  const toMe = yield* (yield* SealRepository).delegationsTo(scope.org.enterpriseId, self)
  return { own: details, agents, branches, names, toMe }
})
