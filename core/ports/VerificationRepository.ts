import { Context, type Effect, type Option } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"
import type { UserId } from "../kernel/Ids.ts"
import type { EnterpriseVerification, EnterpriseVerificationId, VerificationDecision, VerificationStatus } from "../verification/EnterpriseVerification.ts"
import type { PersonalVerification } from "../verification/PersonalVerification.ts"
import type { Upload, UploadId } from "../verification/Upload.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

export class UploadRepository extends Context.Service<UploadRepository, {
  readonly insert: (upload: Upload) => Op<void>
  readonly find: (id: UploadId) => Op<Option.Option<Upload>>
}>()("core/ports/UploadRepository") {}

export class PersonalVerificationRepository extends Context.Service<PersonalVerificationRepository, {
  /** False when the user is already verified, nothing written. */
  readonly insert: (v: PersonalVerification) => Op<boolean>
  readonly find: (userId: UserId) => Op<Option.Option<PersonalVerification>>
}>()("core/ports/PersonalVerificationRepository") {}

export class EnterpriseVerificationRepository extends Context.Service<EnterpriseVerificationRepository, {
  readonly insert: (v: EnterpriseVerification) => Op<void>
  /** Writes the whole application; false when its stored `updatedAt` is not `expectedUpdatedAt` (someone else changed it). */
  readonly update: (v: EnterpriseVerification, expectedUpdatedAt: number) => Op<boolean>
  readonly find: (id: EnterpriseVerificationId) => Op<Option.Option<EnterpriseVerification>>
  /** The applicant's applications, newest first. */
  readonly listByApplicant: (userId: UserId) => Op<ReadonlyArray<EnterpriseVerification>>
  /** Applications in a status, oldest submission first (the review queue). */
  readonly listByStatus: (status: VerificationStatus, limit: number) => Op<ReadonlyArray<EnterpriseVerification>>
  readonly countByStatus: (status: VerificationStatus) => Op<number>
  readonly insertDecision: (d: VerificationDecision) => Op<void>
  readonly listDecisions: (id: EnterpriseVerificationId) => Op<ReadonlyArray<VerificationDecision>>
}>()("core/ports/EnterpriseVerificationRepository") {}
