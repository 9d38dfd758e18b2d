import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Result } from "effect"
import { TestClock } from "effect/testing"
import * as pkijs from "pkijs"
import { layerSealWorld, layerSealWorldWith, setUp, signaturePng, world } from "../../fixtures/organizations/sealWorld.ts"
import { TEST_EPOCH } from "../../fixtures/layers.ts"
import { RepositoryError } from "../kernel/errors.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { OrganizationRepository } from "../ports/OrganizationRepository.ts"
import { SealRepository } from "../ports/SealRepository.ts"
import { delegateSignature, revokeDelegation } from "./delegation.ts"
import { authorizeSeal, createSeal, revokeSealGrant, setSealEnabled } from "./seals.ts"
import { SealGrant } from "./sealsModel.ts"
import { deleteSignature, saveSignature } from "./signatures.ts"
import { useSeal, useSignature, type UseContext } from "./usage.ts"

const HOUR = 3_600_000
const failureTag = <A, E extends { readonly _tag: string }, R>(e: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.result(e), (r) => (Result.isFailure(r) ? r.failure._tag : "succeeded"))
const typesOf = (subject: string) => Effect.map(EvidenceStore.use((s) => s.eventsOf(subject)), (es) => es.map((e) => e.type))

describe("seals and signatures at signing time (E5-E7)", () => {
  it.layer(layerSealWorld)((it) => {
    it.effect("the world uses the in-memory organizations", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const w = yield* setUp
        expect((yield* (yield* OrganizationRepository).org(w.enterprise.id)).branches).toHaveLength(3)
      }))

    it.effect("an authorized agent of the seal's branch uses it: signer with the seal's enterprise certificate, image, usage row and event", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const w = yield* setUp
        const seal = yield* createSeal(w.scope(w.admin), { name: "合同专用章", type: "contract", branchId: w.branchB, image: { kind: "generate" } })
        const cert = pkijs.Certificate.fromBER(Uint8Array.from(Buffer.from(seal.certificate, "base64")))
        const dn = Object.fromEntries(cert.subject.typesAndValues.map((tv) => [tv.type, tv.value.valueBlock.value]))
        expect(dn["2.5.4.10"]).toBe("北京示例科技有限公司")
        expect(dn["2.5.4.97"]).toBe(`NTRCN-${w.enterprise.creditCode}`)
        expect(dn["2.5.4.3"]).toBe("合同专用章")
        expect(yield* authorizeSeal(w.scope(w.admin), seal.id, w.agentB.id)).toBe(true)
        const released = yield* useSeal(w.agentB.id, w.enterprise.id, seal.id, { contractId: "1248849947504173056" })
        expect(released.signer.certificate).toEqual(Uint8Array.from(Buffer.from(seal.certificate, "base64")))
        expect(released.signer.chain).toHaveLength(2)
        expect((yield* released.signer.sign(new Uint8Array([1, 2, 3]))).length).toBeGreaterThan(60)
        expect(Buffer.from(released.image.subarray(1, 4)).toString()).toBe("PNG")
        const log = yield* (yield* SealRepository).usagesOfSeal(w.enterprise.id, seal.id, 10)
        expect(log.map((u) => [u.actorUserId, u.contractId, u.kind, u.delegationId])).toEqual([[w.agentB.id, "1248849947504173056", "seal", null]])
        expect(yield* typesOf(`seal:${seal.id}`)).toEqual(["seal.created", "seal.authorized", "seal.used"])
      }))

    it.effect("an agent of branch A cannot use branch B's seal, even holding a grant; nor be authorized to it", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const w = yield* setUp
        const seal = yield* createSeal(w.scope(w.admin), { name: "合同专用章", type: "contract", branchId: w.branchB, image: { kind: "generate" } })
        expect(yield* failureTag(authorizeSeal(w.scope(w.admin), seal.id, w.agentA.id))).toBe("SealGrantTargetInvalid")
        // A grant that outlived a move to branch A (or was written behind the use cases' back) still opens nothing.
        const repo = yield* SealRepository
        yield* repo.insertGrant(new SealGrant({ sealId: seal.id, userId: w.agentA.id, grantedBy: w.admin.id, grantedAt: TEST_EPOCH, revokedBy: null, revokedAt: null }))
        expect(yield* failureTag(useSeal(w.agentA.id, w.enterprise.id, seal.id, { contractId: "1" }))).toBe("SealNotAuthorized")
        // Likewise the branch admin of B manages B's seal but uses it only once authorized, and not by himself (issue 16).
        expect(yield* failureTag(useSeal(w.branchAdminB.id, w.enterprise.id, seal.id, { contractId: "1" }))).toBe("SealNotAuthorized")
        expect(yield* failureTag(authorizeSeal(w.scope(w.branchAdminB), seal.id, w.branchAdminB.id))).toBe("Forbidden")
        expect(yield* authorizeSeal(w.scope(w.admin), seal.id, w.branchAdminB.id)).toBe(true)
        yield* useSeal(w.branchAdminB.id, w.enterprise.id, seal.id, { contractId: "1" })
        expect(yield* repo.usagesOfSeal(w.enterprise.id, seal.id, 10)).toHaveLength(1)
      }))

    it.effect("a disabled seal, a revoked grant and a deactivated agent are refused at once; nothing is logged", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const w = yield* setUp
        const seal = yield* createSeal(w.scope(w.admin), { name: "合同专用章", type: "contract", branchId: w.branchB, image: { kind: "generate" } })
        yield* authorizeSeal(w.scope(w.admin), seal.id, w.agentB.id)
        const use = useSeal(w.agentB.id, w.enterprise.id, seal.id, { contractId: "7" })
        expect((yield* setSealEnabled(w.scope(w.branchAdminB), seal.id, false)).changed).toBe(true)
        expect(yield* failureTag(use)).toBe("SealDisabled")
        yield* setSealEnabled(w.scope(w.admin), seal.id, true)
        yield* use
        yield* revokeSealGrant(w.scope(w.admin), seal.id, w.agentB.id)
        expect(yield* failureTag(use)).toBe("SealNotAuthorized")
        yield* authorizeSeal(w.scope(w.admin), seal.id, w.agentB.id)
        world.deactivate(w.enterprise.id, w.agentB.id)
        expect(yield* failureTag(use)).toBe("SealNotAuthorized")
        expect(yield* (yield* SealRepository).usagesOfSeal(w.enterprise.id, seal.id, 10)).toHaveLength(1)
        expect(yield* typesOf(`seal:${seal.id}`)).toEqual([
          "seal.created", "seal.authorized", "seal.disabled", "seal.enabled", "seal.used", "seal.authorization_revoked", "seal.authorized",
        ])
      }))

    it.effect("another enterprise's seal id is not found, for use and for management, and nothing changes", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const mine = yield* setUp
        const theirs = yield* setUp
        const seal = yield* createSeal(theirs.scope(theirs.admin), { name: "公章", type: "official", branchId: theirs.branchA, image: { kind: "generate" } })
        yield* authorizeSeal(theirs.scope(theirs.admin), seal.id, theirs.agentA.id)
        expect(yield* failureTag(useSeal(mine.admin.id, mine.enterprise.id, seal.id, { contractId: "1" }))).toBe("NotFound")
        expect(yield* failureTag(useSeal(mine.admin.id, theirs.enterprise.id, seal.id, { contractId: "1" }))).toBe("NotFound")
        expect(yield* failureTag(setSealEnabled(mine.scope(mine.admin), seal.id, false))).toBe("NotFound")
        expect(yield* failureTag(authorizeSeal(mine.scope(mine.admin), seal.id, mine.agentA.id))).toBe("NotFound")
        const after = yield* (yield* SealRepository).findSeal(theirs.enterprise.id, seal.id)
        expect(Option.isSome(after) && after.value.enabled).toBe(true)
        expect((yield* (yield* SealRepository).grants(seal.id)).map((g) => g.userId)).toEqual([theirs.agentA.id])
      }))

    it.effect("a delegated signature is used within its window and scope; expired, not yet valid, out of scope or revoked it is refused", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const w = yield* setUp
        const me = w.scope(w.signatory)
        expect(yield* failureTag(delegateSignature(me, { agentUserId: w.agentA.id, branchId: null, validFrom: null, validUntil: null }))).toBe("SignatureMissing")
        const signature = yield* saveSignature(me, signaturePng(), "uploaded")
        const inA: UseContext = { contractId: "11", branchId: w.branchA }
        const use = (ctx = inA) => useSignature(w.agentA.id, w.signatory.id, w.enterprise.id, ctx)
        expect(yield* failureTag(use())).toBe("SignatureNotDelegated")

        const d = yield* delegateSignature(me, { agentUserId: w.agentA.id, branchId: null, validFrom: null, validUntil: TEST_EPOCH + HOUR })
        const released = yield* use()
        expect(released.signatory.id).toBe(w.signatory.id)
        expect(released.usage.delegationId).toBe(d.id)
        expect(Buffer.from(released.image.subarray(1, 4)).toString()).toBe("PNG")
        // A 全部合同 delegation works at every branch it covers, beyond the agent's own (issue 17): a contract of branch B too.
        expect((yield* use({ contractId: "12", branchId: w.branchB })).usage.delegationId).toBe(d.id)
        yield* TestClock.adjust(HOUR)
        expect(yield* failureTag(use())).toBe("SignatureNotDelegated")

        const later = yield* delegateSignature(me, { agentUserId: w.agentA.id, branchId: w.branchA, validFrom: TEST_EPOCH + 2 * HOUR, validUntil: null })
        expect(yield* failureTag(use())).toBe("SignatureNotDelegated")
        yield* TestClock.adjust(HOUR)
        yield* use()
        expect(yield* failureTag(use({ contractId: "13", branchId: w.enterprise.id }))).toBe("SignatureNotDelegated")
        yield* revokeDelegation(me, later.id)
        expect(yield* failureTag(use())).toBe("SignatureNotDelegated")
        expect(yield* failureTag(revokeDelegation(me, later.id))).toBe("NotFound")

        const log = yield* (yield* SealRepository).usagesOfSignatory(w.enterprise.id, w.signatory.id, 10)
        expect(log.map((u) => [u.actorUserId, u.delegationId, u.contractId])).toEqual([[w.agentA.id, later.id, "11"], [w.agentA.id, d.id, "12"], [w.agentA.id, d.id, "11"]])
        expect(yield* typesOf(`seal:${signature.id}`)).toEqual(["signature.uploaded", "signature.used", "signature.used", "signature.used"])
        expect(yield* typesOf(`seal:${later.id}`)).toEqual(["delegation.granted", "delegation.revoked"])
      }))

    it.effect("delegation rules: only to an active agent, a window that has not ended; a deleted signature or a deactivated signatory cannot be used", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const w = yield* setUp
        const me = w.scope(w.signatory)
        yield* saveSignature(me, signaturePng(), "drawn")
        const to = (agentUserId: string, validUntil: number | null = null) => delegateSignature(me, { agentUserId, branchId: null, validFrom: null, validUntil })
        expect(yield* failureTag(to(w.branchAdminB.id))).toBe("DelegationTargetInvalid")
        expect(yield* failureTag(to(w.signatory.id))).toBe("DelegationTargetInvalid")
        expect(yield* failureTag(to(w.agentA.id, TEST_EPOCH))).toBe("DelegationWindowInvalid")
        expect(yield* failureTag(delegateSignature(w.scope(w.agentA), { agentUserId: w.agentB.id, branchId: null, validFrom: null, validUntil: null }))).toBe("Forbidden")
        yield* to(w.agentA.id)
        const use = useSignature(w.agentA.id, w.signatory.id, w.enterprise.id, { contractId: "21", branchId: w.branchA })
        yield* use
        // The signatory signs with their own signature without any delegation.
        yield* useSignature(w.signatory.id, w.signatory.id, w.enterprise.id, { contractId: "22" })
        yield* deleteSignature(me)
        expect(yield* failureTag(use)).toBe("SignatureMissing")
        yield* saveSignature(me, signaturePng(), "uploaded")
        yield* use
        world.deactivate(w.enterprise.id, w.signatory.id)
        expect(yield* failureTag(use)).toBe("SignatureNotDelegated")
      }))
  })
})

/** An evidence store that refuses to write any event of a seal or signature use. */
const refusingUses = (store: EvidenceStore["Service"]): EvidenceStore["Service"] =>
  Object.fromEntries(Object.entries(store).map(([name, f]) => [
    name,
    name.startsWith("insert") && typeof f === "function"
      ? (...args: Array<unknown>) => JSON.stringify(args).includes(".used")
        ? Effect.fail(new RepositoryError({ operation: `evidence.${name}`, cause: "disk full" }))
        : (f as (...a: Array<unknown>) => unknown)(...args)
      : f,
  ])) as EvidenceStore["Service"]

describe("a use and its evidence commit together", () => {
  it.layer(layerSealWorldWith(refusingUses))((it) => {
    it.effect("no event, no usage row: the use fails and the log stays empty", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const w = yield* setUp
        const seal = yield* createSeal(w.scope(w.admin), { name: "合同专用章", type: "contract", branchId: w.branchB, image: { kind: "generate" } })
        yield* authorizeSeal(w.scope(w.admin), seal.id, w.agentB.id)
        expect(yield* failureTag(useSeal(w.agentB.id, w.enterprise.id, seal.id, { contractId: "31" }))).toBe("RepositoryError")
        expect(yield* (yield* SealRepository).usagesOfSeal(w.enterprise.id, seal.id, 10)).toEqual([])
        yield* saveSignature(w.scope(w.signatory), signaturePng(), "uploaded")
        expect(yield* failureTag(useSignature(w.signatory.id, w.signatory.id, w.enterprise.id, { contractId: "32" }))).toBe("RepositoryError")
        expect(yield* (yield* SealRepository).usagesOfSignatory(w.enterprise.id, w.signatory.id, 10)).toEqual([])
      }))
  })
})
