import { Clock, Effect, Option } from "effect"
import type { User } from "../accounts/User.ts"
import { NotFound } from "../kernel/errors.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { confirmCode } from "../otp/confirmCode.ts"
import { sendCode } from "../otp/sendCode.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { SigningIdentity } from "../ports/SigningIdentity.ts"
import { signPdf } from "../signing/signPdf.ts"
import { Contract, type Party } from "./Contract.ts"
import { ContractNotInProgress, PartyAlreadyActed, SignerOutOfTurn } from "./ContractErrors.ts"
import { partiesDue } from "./contractMachine.ts"
import { machineState } from "./Contract.ts"
import { applyEvent, contractEvent, notify, partyOf, recordHistory, updateContract, visibleContract } from "./store.ts"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"

/**
 * The purpose a signing code is bound to (C4): this contract, this party, and
 * the document content as sent (its first version's SHA-256). Later versions
 * differ only by the signatures appended, so a code stays good while other
 * parties sign concurrently, but never confirms another contract or party.
 */
export const signingPurpose = (contractId: string, partyIndex: number, originalSha256: string) =>
  `sign:${contractId}-${partyIndex}-${originalSha256.slice(0, 16)}`

const originalSha = (id: NumericId) =>
  Effect.flatMap(ContractRepository.use((r) => r.versions(id)), (vs) => {
    const first = vs.find((v) => v.version === 0)
    return first === undefined ? Effect.fail(new NotFound({ entity: "contract document", id })) : Effect.succeed(first.sha256)
  })

/** The user's party on a contract they can act on now, or why not. */
const actingParty = (c: Contract, user: User): Effect.Effect<Party, NotFound | ContractNotInProgress | PartyAlreadyActed | SignerOutOfTurn> => {
  const party = partyOf(c, user)
  if (party === undefined) return Effect.fail(new NotFound({ entity: "contract", id: c.id }))
  if (c.status !== "inProgress") return Effect.fail(new ContractNotInProgress({ status: c.status }))
  if (party.status !== "waiting") return Effect.fail(new PartyAlreadyActed({ party: String(party.index) }))
  const due = partiesDue(machineState(c))
  if (!due.includes(String(party.index))) return Effect.fail(new SignerOutOfTurn({ party: String(party.index), waitingFor: due[0] ?? "" }))
  return Effect.succeed(party)
}

/** C4 确认合同: texts the signer a code bound to this contract and party. */
export const requestSigningCode = Effect.fn("contracts.requestSigningCode")(function*(user: User, id: NumericId) {
  const contract = yield* visibleContract(id, user)
  const party = yield* actingParty(contract, user)
  return yield* sendCode(user.mobile, signingPurpose(id, party.index, yield* originalSha(id)))
})

/**
 * C4 signing: the code confirms the signer's will; then one incremental PAdES
 * signature is appended with the signer's platform-held key, at their field.
 */
export const signContract = Effect.fn("contracts.sign")(function*(user: User, id: NumericId, code: string) {
  const contract = yield* visibleContract(id, user)
  const party = yield* actingParty(contract, user)
  // Confirmation failures (wrong, expired, other purpose) are counted by the OTP rules and end here.
  const { challengeId } = yield* confirmCode(user.mobile, signingPurpose(id, party.index, yield* originalSha(id)), code)
  return yield* applySignature(user, id, { otpChallenge: challengeId })
})

/**
 * Appends the signer's signature. Call only once the signer's will is
 * confirmed (signContract does, with the SMS code; the dev seed does it for
 * demo data). Concurrent signers are serialized per contract: if another
 * party's signature landed first, this one is made again on top of the newer version.
 */
export const applySignature = Effect.fn("contracts.applySignature")(function*(
  user: User,
  id: NumericId,
  /** How the signer's will was confirmed (the OTP challenge id), recorded with the act. */
  confirmation: { readonly otpChallenge: string } | { readonly seed: true },
) {
  const contract = yield* visibleContract(id, user)
  const party = yield* actingParty(contract, user)
  const identity = yield* (yield* SigningIdentity).person(user)
  const blobs = yield* BlobStore
  const field = contract.fields.find((f) => f.partyIndex === party.index && f.kind === "signature")
  const signed = yield* updateContract(id, (current) =>
    Effect.gen(function*() {
      yield* actingParty(current, user)
      const now = yield* Clock.currentTimeMillis
      const bytes = yield* blobs.get(current.documentSha256)
      if (Option.isNone(bytes)) return yield* new NotFound({ entity: "contract document", id })
      const result = yield* signPdf(bytes.value, {
        fieldName: `Signet-${id}-party${party.index}`,
        reason: `签署《${current.name}》`,
        location: "Signet",
        signerName: party.name,
        visible: field !== undefined && identity.image !== null
          ? { page: field.page, rect: { x: field.x, y: field.y, width: field.width, height: field.height }, image: identity.image }
          : undefined,
      }, identity.signer)
      const next = new Uint8Array(result.parts[0].length + result.parts[1].length)
      next.set(result.parts[0])
      next.set(result.parts[1], result.parts[0].length)
      const sha = yield* blobs.put(next)
      const after = yield* applyEvent(current, { _tag: "Sign", party: String(party.index), at: now })
      return new Contract({ ...after, documentSha256: sha, documentVersion: current.documentVersion + 1 })
    }), contractEvent("contract.signed", "party", user.id, {
      party: party.index,
      ...("otpChallenge" in confirmation ? { otpChallenge: confirmation.otpChallenge } : { confirmation: "dev-seed" }),
    }))
  const now = yield* Clock.currentTimeMillis
  yield* ContractRepository.use((r) => r.addVersion(id, signed.documentVersion, signed.documentSha256, now))
  yield* recordHistory(id, now, user.id, "signed", `${party.name} 已签署（文件版本 ${signed.documentVersion}，SHA-256 ${signed.documentSha256.slice(0, 16)}…）`)
  if (signed.status === "completed") {
    yield* withEvidence(Effect.succeed(signed), contractEvent("contract.completed", "system", null, { parties: signed.parties.length }))
    yield* recordHistory(id, now, null, "completed", "全部签署方已签署，签约完成")
    for (const p of signed.parties) yield* notify(p.mobile, `【Signet】《${signed.name}》（签约编号 ${signed.id}）已全部签署完成。`)
  } else if (signed.mode === "sequential") {
    const nextParty = signed.parties.find((p) => p.status === "waiting")
    if (nextParty !== undefined) yield* notify(nextParty.mobile, `【Signet】轮到您签署《${signed.name}》（签约编号 ${signed.id}）。`)
  }
  return signed
})
