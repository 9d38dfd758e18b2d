import { Clock, Effect, Option } from "effect"
import { BlobStore } from "../ports/BlobStore.ts"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import type { User } from "../accounts/User.ts"
import { NotFound } from "../kernel/errors.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { AppLinks } from "../ports/AppLinks.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { isEnterpriseParty, type Contract } from "./Contract.ts"
import { NotInitiator, type ContractTransitionError } from "./ContractErrors.ts"
import { SMS_CAPS, smsVariable } from "../ports/SmsTemplates.ts"
import { applyEvent, contractEvent, contractVars, notify, recordHistory, updateContract } from "./store.ts"
import { actableParties, openContract } from "./access.ts"
import { mayTextOthers } from "./textingRights.ts"

type Change = Effect.Effect<Contract, ContractTransitionError | NotFound | NotInitiator>

/**
 * C5 拒签: a party refuses with a reason; the contract ends for everyone, who
 * are told. A member who may act for an enterprise party refuses for it
 * (`partyIndex` picks which party when the user may act for several).
 */
export const rejectContract = Effect.fn("contracts.reject")(function*(user: User, id: NumericId, reason: string, partyIndex?: number) {
  const access = yield* openContract(id, user)
  const mine = actableParties(access)
  const party = partyIndex === undefined ? mine.find((p) => p.status === "waiting") ?? mine[0] : mine.find((p) => p.index === partyIndex)
  if (party === undefined) return yield* new NotFound({ entity: "contract", id })
  const now = yield* Clock.currentTimeMillis
  const by = isEnterpriseParty(party) ? `${party.name}（${user.name ?? user.mobile}）` : party.name
  const after = yield* updateContract(id, (c): Change => applyEvent(c, { _tag: "Reject", party: String(party.index), reason, at: now }),
    contractEvent("contract.rejected", "party", user.id, { party: party.index }),
    () => recordHistory(id, now, user.id, "rejected", `${by} 拒签：${reason}`))
  for (const p of after.parties) yield* notify(p.mobile, { template: "SIGNET_CONTRACT_REJECTED", vars: { ...contractVars(after), reason: smsVariable(reason, SMS_CAPS.reason) } })
  return after
})

/** The contract's access, failing with NotInitiator unless the user holds the initiator's rights (access.ts). */
const asInitiator = Effect.fn("contracts.asInitiator")(function*(user: User, id: NumericId) {
  const access = yield* openContract(id, user)
  if (!access.initiator) return yield* new NotInitiator()
  return access
})

/** C5 撤销: the initiator withdraws an unfinished contract; parties are told. */
export const revokeContract = Effect.fn("contracts.revoke")(function*(user: User, id: NumericId) {
  yield* asInitiator(user, id)
  const now = yield* Clock.currentTimeMillis
  const after = yield* updateContract(id, (c): Change =>
    c.initiatorUserId !== user.id ? Effect.fail(new NotInitiator()) : applyEvent(c, { _tag: "Revoke", at: now }),
    contractEvent("contract.revoked", "initiator", user.id),
    () => recordHistory(id, now, user.id, "revoked", "发起方撤销签约"))
  for (const p of after.parties) yield* notify(p.mobile, { template: "SIGNET_CONTRACT_REVOKED", vars: contractVars(after) })
  return after
})

/** C5 提醒: the initiator reminds a party that has not signed, at most once an hour per party. */
export const remindParty = Effect.fn("contracts.remind")(function*(user: User, id: NumericId, partyIndex: number) {
  const access = yield* asInitiator(user, id)
  const now = yield* Clock.currentTimeMillis
  // A reminder the machine refuses (signed, too soon) texts nobody and counts nothing; then the quotas (issue 16).
  yield* applyEvent(access.contract, { _tag: "Remind", party: String(partyIndex), at: now })
  const target = access.contract.parties[partyIndex]
  if (target !== undefined) yield* mayTextOthers(user, [target.mobile])
  const after = yield* updateContract(id, (c): Change =>
    c.initiatorUserId !== user.id ? Effect.fail(new NotInitiator()) : applyEvent(c, { _tag: "Remind", party: String(partyIndex), at: now }),
    undefined,
    (saved) => recordHistory(id, now, user.id, "reminded", `已提醒 ${saved.parties[partyIndex]!.name}`))
  const party = after.parties[partyIndex]!
  yield* notify(party.mobile, { template: "SIGNET_CONTRACT_REMIND", vars: { ...contractVars(after), link: (yield* AppLinks).contract(id) } })
  return after
})

/** C8: opening a contract as a party (or for an enterprise party) marks it viewed (once); anyone else who may see it just reads. */
export const viewContract = Effect.fn("contracts.view")(function*(user: User, id: NumericId) {
  const access = yield* openContract(id, user)
  const contract = access.contract
  const party = actableParties(access).find((p) => p.viewedAt === null)
  if (party === undefined || contract.status !== "inProgress") return contract
  const now = yield* Clock.currentTimeMillis
  return yield* updateContract(id, (c) => applyEvent(c, { _tag: "View", party: String(party.index), at: now }),
    contractEvent("contract.viewed", "party", user.id, { party: party.index })).pipe(
    Effect.catch(() => Effect.succeed(contract)),
  )
})

/** C5 过期: the sweep ends every running contract whose deadline has passed; parties are told. */
export const expireDueContracts = Effect.fn("contracts.expireDue")(function*(limit = 100) {
  const now = yield* Clock.currentTimeMillis
  const due = yield* ContractRepository.use((r) => r.dueForExpiry(now, limit))
  let expired = 0
  for (const c of due) {
    const done = yield* updateContract(c.id, (cur) => applyEvent(cur, { _tag: "Expire", at: now }), contractEvent("contract.expired", "system", null),
      () => recordHistory(c.id, now, null, "expired", "签约截止日期已过，签约已过期")).pipe(Effect.option)
    if (done._tag === "None") continue
    expired++
    for (const p of done.value.parties.filter((x) => x.status === "waiting")) {
      yield* notify(p.mobile, { template: "SIGNET_CONTRACT_EXPIRED", vars: contractVars(done.value) })
    }
  }
  return expired
})

/** The current signed PDF of a contract the user may see; the download is recorded as evidence. */
export const downloadContract = Effect.fn("contracts.download")(function*(user: User, id: NumericId) {
  const access = yield* openContract(id, user)
  const contract = access.contract
  const bytes = yield* BlobStore.use((b) => b.get(contract.documentSha256))
  if (Option.isNone(bytes)) return yield* new NotFound({ entity: "contract document", id })
  const role = actableParties(access).length > 0 ? "party" : access.initiator ? "initiator" : "member"
  yield* withEvidence(Effect.succeed(contract), contractEvent("contract.downloaded", role, user.id))
  return { contract, pdf: bytes.value }
})
