/**
 * C4 for an enterprise party: what the acting member may sign with now —
 * the enabled seals granted to them inside their branch subtree (E5), and the
 * signatories whose signature they may use for this contract's branch: their
 * own, or one delegated to them that is live now (E6). The same rules as
 * useSeal / useSignature, read without using anything, to fill the choice
 * and to refuse a bad choice before a code is texted; signing checks again.
 */
import { Clock, Effect, Option } from "effect"
import type { User } from "../accounts/User.ts"
import type { UserId } from "../kernel/Ids.ts"
import { liveDelegation } from "../seals/delegation.ts"
import { headOfficeId } from "../organizations/Organization.ts"
import { can, type Role } from "../organizations/permissions.ts"
import { liveGrantees, type Seal } from "../seals/sealsModel.ts"
import { SealNotAuthorized, SignatureNotDelegated } from "../seals/sealsErrors.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { OrganizationRepository } from "../ports/OrganizationRepository.ts"
import { SealRepository } from "../ports/SealRepository.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { isEnterpriseParty, machineState, type Contract, type Party } from "./Contract.ts"
import { actableParties, contractAccess } from "./access.ts"
import { signRefusal } from "./contractMachine.ts"
import { EnterpriseSigningIncomplete } from "./ContractErrors.ts"

export interface SignatoryOption {
  readonly userId: string
  readonly name: string
  /** Used through a delegation (授权) rather than as the member's own. */
  readonly delegated: boolean
}

export interface SigningOptions {
  readonly seals: ReadonlyArray<Seal>
  readonly signatories: ReadonlyArray<SignatoryOption>
  /** Set when the user cannot sign for the party now: who can, and why not them. */
  readonly blocked?: SigningBlocked | undefined
}

/** Why the acting member cannot sign for the enterprise party now (shown in zh-CN on the sign page). */
export type BlockReason =
  /** No enabled seal of the party's reach is authorized to them. */
  | "noSeal"
  /** They are no signatory, and no signatory's live delegation covers this contract. */
  | "noSignatory"
  /** They are a signatory but have no handwritten signature on file. */
  | "ownSignatureMissing"

/** A member who may sign for the enterprise party now (both a seal and a signature). */
export interface AbleSigner {
  readonly userId: string
  readonly name: string
  readonly roles: ReadonlyArray<Role>
}

export interface SigningBlocked {
  readonly reasons: ReadonlyArray<BlockReason>
  readonly ableSigners: ReadonlyArray<AbleSigner>
  /** The enterprise admin's name, to ask for a seal grant or a delegation. */
  readonly adminName: string | undefined
}

/** What the chosen seal and signatory must be for an enterprise party. */
export interface EnterpriseChoice {
  readonly sealId?: string | undefined
  readonly signatoryUserId?: string | undefined
}

const noOptions: SigningOptions = { seals: [], signatories: [] }

/** The seals and signatures the member `userId` may use for this enterprise party now. */
const optionsOf = Effect.fnUntraced(function*(userId: string, party: Party) {
  const enterpriseId = party.enterpriseId
  if (enterpriseId === undefined) return noOptions
  const orgs = yield* OrganizationRepository
  const repo = yield* SealRepository
  const user = { id: userId }
  const member = yield* orgs.member(enterpriseId, user.id)
  if (Option.isNone(member) || !member.value.active) return noOptions
  const org = yield* orgs.org(enterpriseId)
  const seals: Array<Seal> = []
  for (const seal of yield* repo.seals(enterpriseId)) {
    if (!seal.enabled) continue
    const grantedTo = liveGrantees(yield* repo.grants(seal.id))
    if (can(org, member.value, "seal.use", { enterpriseId, branchId: seal.branchId, grantedTo })) seals.push(seal)
  }
  const branchId = party.branchId ?? headOfficeId(enterpriseId)
  const now = yield* Clock.currentTimeMillis
  const candidates = new Map<string, boolean>()
  if (member.value.roles.includes("signatory")) candidates.set(user.id, false)
  const delegations = yield* repo.delegationsTo(enterpriseId, user.id)
  for (const d of delegations) {
    if (!candidates.has(d.signatoryUserId) && liveDelegation([d], org, user.id, branchId, now) !== undefined) candidates.set(d.signatoryUserId, true)
  }
  const users = yield* UserRepository
  const signatories: Array<SignatoryOption> = []
  for (const [userId, delegated] of candidates) {
    const owner = yield* orgs.member(enterpriseId, userId)
    if (Option.isNone(owner) || !owner.value.active || !owner.value.roles.includes("signatory")) continue
    const resource = { enterpriseId, branchId, ownerUserId: userId, ownerBranchId: owner.value.branchId, grantedTo: delegated ? [user.id] : [] }
    if (!can(org, member.value, "signature.use", resource)) continue
    if (Option.isNone(yield* repo.currentSignature(userId))) continue
    const person = yield* users.findById(userId as UserId)
    if (Option.isNone(person)) continue
    signatories.push({ userId, name: person.value.name ?? person.value.mobile, delegated })
  }
  const options: SigningOptions = { seals, signatories }
  return options
})

const ready = (o: SigningOptions) => o.seals.length > 0 && o.signatories.length > 0

/**
 * The seals and signatures `user` may use for this enterprise party now; when
 * that is not enough to sign, why (no seal, no signatory's signature) and
 * which members of the enterprise could sign it now, so the page names them
 * instead of showing a disabled button.
 */
export const enterpriseSigningOptions = Effect.fn("contracts.signingOptions")(function*(user: User, party: Party) {
  const mine = yield* optionsOf(user.id, party)
  const enterpriseId = party.enterpriseId
  if (enterpriseId === undefined || ready(mine)) return mine
  const reasons: Array<BlockReason> = []
  if (mine.seals.length === 0) reasons.push("noSeal")
  if (mine.signatories.length === 0) {
    const me = yield* (yield* OrganizationRepository).member(enterpriseId, user.id)
    const signatory = Option.isSome(me) && me.value.roles.includes("signatory")
    reasons.push(signatory && Option.isNone(yield* (yield* SealRepository).currentSignature(user.id)) ? "ownSignatureMissing" : "noSignatory")
  }
  const ableSigners: Array<AbleSigner> = []
  let adminName: string | undefined
  const org = yield* (yield* OrganizationRepository).org(enterpriseId)
  const branchId = party.branchId ?? headOfficeId(enterpriseId)
  for (const { member: m, name, mobile } of yield* (yield* MembershipRepository).members(enterpriseId)) {
    if (!m.active) continue
    if (m.roles.includes("admin")) adminName = name ?? mobile
    // Only who may act for the party at all: its named signer, or (none named) members reaching its branch (as in access.ts).
    const acts = party.signerUserId === undefined ? can(org, m, "contract.view", { enterpriseId, branchId }) : party.signerUserId === m.userId
    if (m.userId !== user.id && acts && ready(yield* optionsOf(m.userId, party))) ableSigners.push({ userId: m.userId, name: name ?? mobile, roles: m.roles })
  }
  const options: SigningOptions = { ...mine, blocked: { reasons, ableSigners, adminName } }
  return options
})

/** Fails unless the choice names a seal and a signatory among the options. */
export const checkChoice = (options: SigningOptions, choice: EnterpriseChoice | undefined) => {
  if (choice?.sealId === undefined || choice.sealId === "") return Effect.fail(new EnterpriseSigningIncomplete({ missing: "seal" }))
  if (choice.signatoryUserId === undefined || choice.signatoryUserId === "") return Effect.fail(new EnterpriseSigningIncomplete({ missing: "signatory" }))
  if (!options.seals.some((s) => s.id === choice.sealId)) return Effect.fail(new SealNotAuthorized({ sealId: choice.sealId }))
  if (!options.signatories.some((s) => s.userId === choice.signatoryUserId)) return Effect.fail(new SignatureNotDelegated({ signatoryUserId: choice.signatoryUserId }))
  return Effect.succeed({ sealId: choice.sealId, signatoryUserId: choice.signatoryUserId })
}

/** A party the user may sign for now, with (for an enterprise party) what they may sign with. */
export interface SignAs {
  readonly party: Party
  readonly options: SigningOptions | undefined
}

/** C4 signing page: the user's access, and the parties they may sign for now (in turn, still waiting). */
export const signingView = Effect.fn("contracts.signingView")(function*(user: User, contract: Contract) {
  const access = yield* contractAccess(contract, user)
  const state = machineState(contract)
  const signAs: Array<SignAs> = []
  for (const party of actableParties(access)) {
    if (signRefusal(state, String(party.index)) !== null) continue
    signAs.push({ party, options: isEnterpriseParty(party) ? yield* enterpriseSigningOptions(user, party) : undefined })
  }
  return { access, signAs: signAs as ReadonlyArray<SignAs> }
})
