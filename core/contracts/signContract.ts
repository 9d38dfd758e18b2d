import { Clock, Effect, Option } from "effect"
import type { User } from "../accounts/User.ts"
import { NotFound } from "../kernel/errors.ts"
import type { NumericId, OtpId } from "../kernel/Ids.ts"
import { checkCode, consumeCode } from "../otp/confirmCode.ts"
import { sendCode } from "../otp/sendCode.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { SigningIdentity } from "../ports/SigningIdentity.ts"
import { signPdf } from "../signing/signPdf.ts"
import { prepareImage } from "../signing/pdf/appearance.ts"
import { PadesProfile } from "../ports/PadesProfile.ts"
import { Contract, isEnterpriseParty, machineState, type Party, type SignField } from "./Contract.ts"
import type { ContractNotInProgress, PartyAlreadyActed, SignerOutOfTurn } from "./ContractErrors.ts"
import { signRefusal } from "./contractMachine.ts"
import { actableParties, openContract, type ContractAccess } from "./access.ts"
import { checkChoice, enterpriseSigningOptions, type EnterpriseChoice } from "./signingOptions.ts"
import { signingDateImage, signingDateText, writtenName } from "./appearances.ts"
import { SMS_CAPS, smsVariable } from "../ports/SmsTemplates.ts"
import { applyEvent, contractEvent, contractVars, recordHistory, updateContract } from "./store.ts"
import type { ActEvidence } from "../acts/aggregate.ts"
import type { Notice } from "../notifications/notify.ts"
import { useSeal, useSignature } from "../seals/usage.ts"
import type { Signer } from "../ports/Signer.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import { cleanUntrustedImage } from "../seals/image/sealImageUpload.ts"
import { handwrittenImage, SIGNATURE_MAX_SIDE } from "../seals/signatures.ts"

/**
 * The purpose a signing code is bound to (C4): this contract, this party, and
 * the document content as sent (its first version's SHA-256). Later versions
 * differ only by the signatures appended, so a code stays good while other
 * parties sign concurrently, but never confirms another contract or party.
 */
export const signingPurpose = (contractId: string, partyIndex: number, originalSha256: string) =>
  `sign:${contractId}-${partyIndex}-${originalSha256.slice(0, 16)}`

/**
 * The SHA-256 of the document as sent (version 0): the contract's current one while nobody has signed (no version
 * was added since it was created), else read from its versions.
 */
const originalSha = (c: Contract) =>
  c.documentVersion === 0
    ? Effect.succeed(c.documentSha256)
    : Effect.flatMap(ContractRepository.use((r) => r.versions(c.id)), (vs) => {
      const first = vs.find((v) => v.version === 0)
      return first === undefined ? Effect.fail(new NotFound({ entity: "contract document", id: c.id })) : Effect.succeed(first.sha256)
    })

/** What the signer chooses: the party they act for, and for an enterprise party its seal and signatory. */
export interface SigningChoice extends EnterpriseChoice {
  /** The user's own party, or an enterprise party they may act for; by default the first they may sign now. */
  readonly partyIndex?: number | undefined
  /**
   * A person's signature drawn at signing time (the image as the browser sent it): checked and cleaned like an
   * upload, drawn in this contract's boxes instead of their saved signature, and not saved. Ignored for an
   * enterprise party, which signs with its seal and its signatory's saved signature.
   */
  readonly drawn?: Uint8Array | undefined
}

/** The party the user acts for on a contract they can sign now, or why not. */
export const actingParty = (access: ContractAccess, partyIndex?: number): Effect.Effect<Party, NotFound | ContractNotInProgress | PartyAlreadyActed | SignerOutOfTurn> => {
  const c = access.contract
  const state = machineState(c)
  const candidates = actableParties(access)
  const party = partyIndex === undefined
    ? candidates.find((p) => signRefusal(state, String(p.index)) === null) ?? candidates[0]
    : candidates.find((p) => p.index === partyIndex)
  if (party === undefined) return Effect.fail(new NotFound({ entity: "contract", id: c.id }))
  const refused = signRefusal(state, String(party.index))
  return refused === null ? Effect.succeed(party) : Effect.fail(refused)
}

/** The user's acting party now, and for an enterprise party the checked choice of seal and signatory. */
const prepare = (user: User, id: NumericId, choice: SigningChoice | undefined) =>
  Effect.gen(function*() {
    const access = yield* openContract(id, user)
    const party = yield* actingParty(access, choice?.partyIndex)
    const chosen = isEnterpriseParty(party) ? yield* checkChoice(yield* enterpriseSigningOptions(user, party), choice) : undefined
    return { contract: access.contract, party, chosen }
  })

/** A signing act prepared once: the contract as loaded, the access computed on it, the party and choice checked. */
type Prepared = Effect.Success<ReturnType<typeof prepare>>

/**
 * C4 确认合同: texts the signer a code bound to this contract and party (for
 * an enterprise party, once a usable seal and signatory are chosen).
 */
export const requestSigningCode = Effect.fn("contracts.requestSigningCode")(function*(user: User, id: NumericId, choice?: SigningChoice) {
  const { contract, party } = yield* prepare(user, id, choice)
  const sent = yield* sendCode(user.mobile, signingPurpose(id, party.index, yield* originalSha(contract)))
  // A person's first signature needs their key and certificate: made now, while they read the code, not when they
  // sign (issue 23). Made at signing instead when this fails (logged; the code is sent either way).
  if (!isEnterpriseParty(party)) {
    const identity = yield* SigningIdentity.use((identity) => identity.person(user)).pipe(
      Effect.catch((e) => Effect.as(Effect.logWarning("signing identity not made ahead of the act", { reason: e.reason }), null)),
    )
    // And their name in ink, when they have no handwritten signature (remembered: appearances.ts), encoded for PDF.
    if (identity !== null && (yield* handwrittenImage(user.id)) === null) {
      const name = yield* writtenName(user.name ?? party.name)
      if (name !== null) yield* prepareImage(name).pipe(Effect.ignore)
    }
  }
  return sent
})

/**
 * C4 signing: the code confirms the signer's will; then one incremental PAdES
 * signature is appended per seal or signature, at its field: a person's own,
 * or an enterprise party's seal and its signatory's signature.
 */
export const signContract = Effect.fn("contracts.sign")(function*(user: User, id: NumericId, code: string, choice?: SigningChoice) {
  // The act is prepared once (one load, access computed once); a bad choice is refused before the code is spent.
  const prepared = yield* prepare(user, id, choice)
  // Confirmation failures (wrong, expired, other purpose) are counted by the OTP rules and end here. The code is used
  // up in the signing act's transaction: if the act fails, the signer can try again with the same code.
  const { challengeId } = yield* checkCode(user.mobile, signingPurpose(id, prepared.party.index, yield* originalSha(prepared.contract)), code)
  return yield* signPrepared(user, prepared, { otpChallenge: challengeId }, choice)
})

/**
 * One signature to append: with whose key, drawn in which boxes (the first is the signature's widget, the others
 * stamps of the same image in its revision), and the party's date boxes, with the last one.
 */
interface Stamp {
  readonly suffix: string
  readonly reason: string
  readonly signerName: string
  readonly signer: Signer
  readonly image: Uint8Array | null
  readonly fields: ReadonlyArray<SignField>
  readonly dateFields?: ReadonlyArray<SignField> | undefined
}

const concat = (parts: readonly [Uint8Array, Uint8Array]) => {
  const out = new Uint8Array(parts[0].length + parts[1].length)
  out.set(parts[0])
  out.set(parts[1], parts[0].length)
  return out
}

/**
 * Appends the signer's signature(s). Call only once the signer's will is
 * confirmed (signContract does, with the SMS code; the dev seed does it for
 * demo data). For an enterprise party the seal and the signature are
 * released by useSeal / useSignature (rights read live, each use logged with
 * this contract) before anything is signed. Concurrent signers are
 * serialized per contract: if another party's signature landed first, these
 * are made again on top of the newer version.
 */
export const applySignature = Effect.fn("contracts.applySignature")(function*(
  user: User,
  id: NumericId,
  /** How the signer's will was confirmed (the OTP challenge id), recorded with the act. */
  confirmation: SigningConfirmation,
  choice?: SigningChoice,
) {
  return yield* signPrepared(user, yield* prepare(user, id, choice), confirmation, choice)
})

/** How the signer's will was confirmed: the OTP challenge (C4), or the dev seed's demo data. */
type SigningConfirmation = { readonly otpChallenge: OtpId } | { readonly seed: true }

/** The signing act on a prepared contract: the signatures made, then one aggregate write (core/acts/aggregate.ts). */
const signPrepared = Effect.fnUntraced(function*(user: User, prepared: Prepared, confirmation: SigningConfirmation, choice: SigningChoice | undefined) {
  const { contract, party, chosen } = prepared
  const id = contract.id
  // Every box the initiator placed for this party is drawn, not just the first of its kind.
  const fieldsOf = (kind: SignField["kind"]) => contract.fields.filter((f) => f.partyIndex === party.index && f.kind === kind)
  let stamps: ReadonlyArray<Stamp>
  let facts: Record<string, string | number | boolean | null> = {}
  let what: string
  if (chosen === undefined || !isEnterpriseParty(party)) {
    const drawn = choice?.drawn === undefined ? null : (yield* cleanUntrustedImage(choice.drawn, SIGNATURE_MAX_SIDE)).png
    const identity = yield* (yield* SigningIdentity).person(user)
    // Without a handwritten signature the box shows the signer's name in ink: every party's act is visible.
    const image = drawn ?? (yield* handwrittenImage(user.id)) ?? (yield* writtenName(user.name ?? party.name))
    stamps = [{ suffix: "", reason: `签署《${contract.name}》`, signerName: party.name, signer: identity.signer, image, fields: fieldsOf("signature"), dateFields: fieldsOf("date") }]
    what = `${party.name} 已签署`
  } else {
    const context = { contractId: id, branchId: party.branchId }
    // Both uses are logged, or neither.
    const [seal, signature] = yield* (yield* UnitOfWork).transact(Effect.all([
      useSeal(user.id, party.enterpriseId, chosen.sealId, context),
      useSignature(user.id, chosen.signatoryUserId, party.enterpriseId, context),
    ]))
    const signatoryName = signature.signatory.name ?? signature.signatory.mobile
    stamps = [
      { suffix: "-seal", reason: `${party.name}盖章（${seal.seal.name}）：《${contract.name}》`, signerName: party.name, signer: seal.signer, image: seal.image, fields: fieldsOf("seal") },
      { suffix: "-signatory", reason: `${party.name}有权签字人签名：《${contract.name}》`, signerName: signatoryName, signer: signature.signer, image: signature.image, fields: fieldsOf("signature"), dateFields: fieldsOf("date") },
    ]
    const delegated = signature.usage.delegationId !== null
    facts = { enterpriseId: party.enterpriseId, sealId: seal.seal.id, sealUsageId: seal.usage.id, signatureUsageId: signature.usage.id, delegated, signatures: 2 }
    what = `${party.name}${party.branchName === undefined ? "" : `（${party.branchName}）`}由 ${user.name ?? user.mobile} 加盖「${seal.seal.name}」，${signatoryName} 签名${delegated ? "（授权使用）" : ""}`
  }
  const blobs = yield* BlobStore
  // The deployment's PAdES level (SIGNET_PADES_LEVEL): a signature timestamp from B-T, the DSS and a document timestamp after the act's signatures from B-LT/B-LTA.
  const pades = yield* PadesProfile
  let versions: Array<string> = []
  const signed = yield* updateContract(id, (current) =>
    Effect.gen(function*() {
      yield* stillActing(current, party.index)
      const now = yield* Clock.currentTimeMillis
      const original = yield* blobs.get(current.documentSha256)
      if (Option.isNone(original)) return yield* new NotFound({ entity: "contract document", id })
      let bytes = original.value
      versions = []
      const dateImage = stamps.some((s) => (s.dateFields ?? []).length > 0) ? yield* signingDateImage(now) : null
      for (const s of stamps) {
        const box = (f: SignField) => ({ page: f.page, rect: { x: f.x, y: f.y, width: f.width, height: f.height } })
        const [first, ...more] = s.fields
        const image = s.image
        const extra = image === null ? [] : more.map((f) => ({ ...box(f), image, text: `${s.signerName}${s.suffix === "-seal" ? "盖章" : "签名"}` }))
        const dates = dateImage === null ? [] : (s.dateFields ?? []).map((f) => ({ ...box(f), image: dateImage, text: `签署日期：${signingDateText(now)}` }))
        const result = yield* signPdf(bytes, {
          fieldName: `Signet-${id}-party${party.index}${s.suffix}`,
          reason: s.reason,
          location: "Signet",
          signerName: s.signerName,
          visible: first !== undefined && image !== null ? { ...box(first), image } : undefined,
          stamps: extra.length + dates.length > 0 ? [...extra, ...dates] : undefined,
        }, s.signer, pades.tsa)
        bytes = concat(result.parts)
        if (s === stamps[stamps.length - 1]) bytes = yield* pades.extend(bytes)
        versions.push(yield* blobs.put(bytes))
      }
      const after = yield* applyEvent(current, { _tag: "Sign", party: String(party.index), at: now })
      return new Contract({ ...after, documentSha256: versions[versions.length - 1]!, documentVersion: current.documentVersion + stamps.length })
    }), signingEvidence(contractEvent("contract.signed", "party", user.id, {
      party: party.index,
      ...("otpChallenge" in confirmation ? { otpChallenge: confirmation.otpChallenge } : { confirmation: "dev-seed" }),
      ...facts,
    })), (saved) =>
      Effect.gen(function*() {
        if ("otpChallenge" in confirmation) yield* consumeCode(confirmation.otpChallenge)
        yield* recordSigned(saved, versions, user.id, what)
      }), { loaded: contract, notices: signedNotices })
  return signed
})

/** The party's act as it stands on the contract now (another act may have landed since preparing): still its turn. */
export const stillActing = (current: Contract, partyIndex: number) =>
  actingParty({ contract: current, person: current.parties[partyIndex], forEnterprises: [], throughEnterprise: false, initiator: false }, partyIndex)

/**
 * In the signing write's transaction: the document versions and the history
 * (with the completion's, for the last signature). A crash before the commit
 * leaves neither the signature nor these; after it, all of them.
 */
export const recordSigned = (saved: Contract, versions: ReadonlyArray<string>, actorUserId: string | null, what: string) =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const id = saved.id
    const first = saved.documentVersion - versions.length + 1
    const repo = yield* ContractRepository
    for (const [i, sha] of versions.entries()) yield* repo.addVersion(id, first + i, sha, now)
    yield* recordHistory(id, now, actorUserId, "signed", `${what}（文件版本 ${saved.documentVersion}，SHA-256 ${saved.documentSha256.slice(0, 16)}…）`)
    if (saved.status === "completed") yield* recordHistory(id, now, null, "completed", "全部签署方已签署，签约完成")
  })

/** The evidence of a signing act: its signature, and the completion when it was the last one. */
export const signingEvidence = (signed: (saved: Contract) => ActEvidence) => (saved: Contract): ReadonlyArray<ActEvidence> =>
  saved.status === "completed"
    ? [signed(saved), contractEvent("contract.completed", "system", null, { parties: saved.parties.length })(saved)]
    : [signed(saved)]

/** Who a signing act tells: every party that the contract is complete, or the next one that it is their turn. */
export const signedNotices = (signed: Contract): ReadonlyArray<Notice> => {
  if (signed.status === "completed") return signed.parties.map((p) => ({ mobile: p.mobile, content: { template: "SIGNET_CONTRACT_COMPLETED", vars: contractVars(signed) } }))
  if (signed.mode !== "sequential") return []
  const nextParty = signed.parties.find((p) => p.status === "waiting")
  return nextParty === undefined ? [] : [{
    mobile: nextParty.mobile,
    content: {
      template: "SIGNET_CONTRACT_TURN",
      vars: { ...contractVars(signed), whom: isEnterpriseParty(nextParty) ? `贵企业（${smsVariable(nextParty.name, SMS_CAPS.name)}）` : "您" },
    },
  }]
}
