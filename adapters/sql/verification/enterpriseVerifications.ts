import { Effect, Layer, Option } from "effect"
import { EnterpriseVerification, VerificationDecision } from "../../../core/verification/EnterpriseVerification.ts"
import { EnterpriseVerificationRepository } from "../../../core/ports/VerificationRepository.ts"
import { Database, decodeRow, queryOn } from "../Database.ts"
import type { EnterpriseVerificationDecisionsTable, EnterpriseVerificationsTable } from "../schema.ts"

const decode = decodeRow(EnterpriseVerification, "enterprise_verifications")
const num = (v: number | null) => (v === null ? null : Number(v))
const toVerification = (r: EnterpriseVerificationsTable) =>
  decode({
    id: r.id, applicantId: r.applicant_id, status: r.status,
    info: r.name === null ? null : {
      name: r.name, creditCode: r.credit_code, address: r.address, legalRepresentative: r.legal_representative,
      contactPhone: r.contact_phone, email: r.email,
    },
    licenceUploadId: r.licence_upload_id, letterUploadId: r.letter_upload_id, submissions: Number(r.submissions),
    submittedAt: num(r.submitted_at),
    rejection: r.rejection_reason === null ? null : { reason: r.rejection_reason, note: r.rejection_note ?? "" },
    decidedBy: r.decided_by, decidedAt: num(r.decided_at), enterpriseId: r.enterprise_id,
    createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  })

const columns = (v: EnterpriseVerification) => ({
  status: v.status,
  name: v.info?.name ?? null,
  credit_code: v.info?.creditCode ?? null,
  address: v.info?.address ?? null,
  legal_representative: v.info?.legalRepresentative ?? null,
  contact_phone: v.info?.contactPhone ?? null,
  email: v.info?.email ?? null,
  licence_upload_id: v.licenceUploadId,
  letter_upload_id: v.letterUploadId,
  submissions: v.submissions,
  submitted_at: v.submittedAt,
  rejection_reason: v.rejection?.reason ?? null,
  rejection_note: v.rejection?.note ?? null,
  decided_by: v.decidedBy,
  decided_at: v.decidedAt,
  enterprise_id: v.enterpriseId,
  updated_at: v.updatedAt,
})

const decodeDecision = decodeRow(VerificationDecision, "enterprise_verification_decisions")
const toDecision = (r: EnterpriseVerificationDecisionsTable) =>
  decodeDecision({
    id: r.id, verificationId: r.verification_id, staffId: r.staff_id, decision: r.decision, reason: r.reason, note: r.note,
    decidedAt: Number(r.decided_at),
  })

export const layerEnterpriseVerificationRepository = Layer.effect(
  EnterpriseVerificationRepository,
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    const many = (rows: ReadonlyArray<EnterpriseVerificationsTable>) => Effect.forEach(rows, toVerification)
    return {
      insert: (v) =>
        q("enterpriseVerifications.insert", (db) =>
          db.insertInto("enterprise_verifications").values({ ...columns(v), id: v.id, applicant_id: v.applicantId, created_at: v.createdAt }).execute()).pipe(Effect.asVoid),
      update: (v, expectedUpdatedAt) =>
        q("enterpriseVerifications.update", (db) =>
          db.updateTable("enterprise_verifications").set(columns(v)).where("id", "=", v.id).where("updated_at", "=", expectedUpdatedAt).executeTakeFirst()).pipe(
            Effect.map((r) => Number(r.numUpdatedRows) === 1),
          ),
      find: (id) =>
        q("enterpriseVerifications.find", (db) => db.selectFrom("enterprise_verifications").selectAll().where("id", "=", id).executeTakeFirst()).pipe(
          Effect.flatMap((r) => r === undefined ? Effect.succeedNone : Effect.map(toVerification(r), Option.some)),
        ),
      listByApplicant: (userId) =>
        q("enterpriseVerifications.listByApplicant", (db) =>
          db.selectFrom("enterprise_verifications").selectAll().where("applicant_id", "=", userId).orderBy("created_at", "desc").orderBy("id", "desc").execute()).pipe(
            Effect.flatMap(many),
          ),
      listByStatus: (status, limit) =>
        q("enterpriseVerifications.listByStatus", (db) =>
          db.selectFrom("enterprise_verifications").selectAll().where("status", "=", status).orderBy("submitted_at", "asc").orderBy("id", "asc").limit(limit).execute()).pipe(
            Effect.flatMap(many),
          ),
      countByStatus: (status) =>
        q("enterpriseVerifications.countByStatus", (db) =>
          db.selectFrom("enterprise_verifications").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", status).executeTakeFirstOrThrow()).pipe(
            Effect.map((r) => Number(r.n)),
          ),
      insertDecision: (d) =>
        q("enterpriseVerifications.insertDecision", (db) =>
          db.insertInto("enterprise_verification_decisions").values({
            id: d.id, verification_id: d.verificationId, staff_id: d.staffId, decision: d.decision, reason: d.reason, note: d.note, decided_at: d.decidedAt,
          }).execute()).pipe(Effect.asVoid),
      listDecisions: (id) =>
        q("enterpriseVerifications.listDecisions", (db) =>
          db.selectFrom("enterprise_verification_decisions").selectAll().where("verification_id", "=", id).orderBy("decided_at", "asc").orderBy("id", "asc").execute()).pipe(
            Effect.flatMap((rows) => Effect.forEach(rows, toDecision)),
          ),
    }
  }),
)
