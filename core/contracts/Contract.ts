import { Schema } from "effect"
import { NumericId, UserId } from "../kernel/Ids.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { Millis } from "../kernel/Millis.ts"
import type { ContractState } from "./contractMachine.ts"

export const SigningModeSchema = Schema.Literals(["simultaneous", "sequential"])
export const ContractStatusSchema = Schema.Literals(["draft", "inProgress", "completed", "rejected", "revoked", "expired"])
export const PartyStatusSchema = Schema.Literals(["waiting", "signed", "rejected"])

/** Where a party signs: page (1-based) and rectangle in PDF points from the bottom-left (C1). */
export class SignField extends Schema.Class<SignField>("SignField")({
  partyIndex: Schema.Int,
  page: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1))),
  x: Schema.Number,
  y: Schema.Number,
  width: Schema.Number.pipe(Schema.check(Schema.isGreaterThan(0))),
  height: Schema.Number.pipe(Schema.check(Schema.isGreaterThan(0))),
  kind: Schema.Literals(["signature", "seal", "date"]),
}) {}

/**
 * A party (C1). A person is identified by the mobile number the invitation
 * goes to (C3). An enterprise party (`enterpriseId` set) is a verified
 * enterprise that signs with an enterprise seal plus a signatory's signature
 * (C4); its `name` is the enterprise's, `mobile` is whom the invitation is
 * texted to (the named signing member, else the enterprise's admin), and
 * `branchId` is the branch that signs for it (签署分公司; the head office by default).
 */
export class Party extends Schema.Class<Party>("Party")({
  index: Schema.Int,
  name: Schema.String,
  mobile: Mobile,
  status: PartyStatusSchema,
  actedAt: Schema.NullOr(Millis),
  lastRemindedAt: Schema.NullOr(Millis),
  viewedAt: Schema.NullOr(Millis),
  enterpriseId: Schema.optionalKey(Schema.String),
  branchId: Schema.optionalKey(Schema.String),
  branchName: Schema.optionalKey(Schema.String),
  /** The member named to sign for the enterprise; when absent any member allowed to use a seal of it may. */
  signerUserId: Schema.optionalKey(Schema.String),
}) {}

/** Is this an enterprise party (seal + signatory signature) rather than a person? */
export const isEnterpriseParty = (p: Party): p is Party & { readonly enterpriseId: string; readonly branchId: string } =>
  p.enterpriseId !== undefined

/**
 * A contract (签约): its number is a 19-digit id (C2). `documentSha256` is the
 * current version of the PDF (each signature appends an incremental update);
 * `revision` guards concurrent writers (optimistic locking).
 */
export class Contract extends Schema.Class<Contract>("Contract")({
  id: NumericId,
  name: Schema.String,
  initiatorUserId: UserId,
  /** The sending enterprise's name (C7 发送企业), when an enterprise member initiated it; absent for a person. */
  initiatorOrgName: Schema.optionalKey(Schema.String),
  /** The enterprise the initiator acted for (C1), and the branch it was initiated at; absent for a person. */
  initiatorEnterpriseId: Schema.optionalKey(Schema.String),
  initiatorBranchId: Schema.optionalKey(Schema.String),
  mode: SigningModeSchema,
  deadline: Millis,
  status: ContractStatusSchema,
  parties: Schema.Array(Party),
  fields: Schema.Array(SignField),
  documentSha256: Schema.String,
  documentVersion: Schema.Int,
  createdAt: Millis,
  sentAt: Schema.NullOr(Millis),
  endedAt: Schema.NullOr(Millis),
  rejectionReason: Schema.NullOr(Schema.String),
  revision: Schema.Int,
}) {}

/** One line of a contract's history (C8), shown on its page. */
export class ContractHistoryEntry extends Schema.Class<ContractHistoryEntry>("ContractHistoryEntry")({
  contractId: NumericId,
  at: Millis,
  actorUserId: Schema.NullOr(Schema.String),
  action: Schema.String,
  detail: Schema.String,
}) {}

/** The machine's view of a contract (party ids are their indexes). */
export const machineState = (c: Contract): ContractState => ({
  status: c.status,
  mode: c.mode,
  deadline: c.deadline,
  parties: c.parties.map((p) => ({ id: String(p.index), status: p.status, actedAt: p.actedAt, lastRemindedAt: p.lastRemindedAt, viewedAt: p.viewedAt })),
  sentAt: c.sentAt,
  endedAt: c.endedAt,
  rejectionReason: c.rejectionReason,
})

/** The contract with the machine's new state folded back in. */
export const withState = (c: Contract, s: ContractState): Contract =>
  new Contract({
    ...c,
    status: s.status,
    sentAt: s.sentAt,
    endedAt: s.endedAt,
    rejectionReason: s.rejectionReason,
    parties: c.parties.map((p) => {
      const m = s.parties.find((x) => x.id === String(p.index))!
      return new Party({ ...p, status: m.status, actedAt: m.actedAt, lastRemindedAt: m.lastRemindedAt, viewedAt: m.viewedAt })
    }),
  })
