import { Layer } from "effect"
import { layerAddressRepository } from "./addresses.ts"
import { layerContractRepository } from "./contracts.ts"
import { layerArchiveRepository } from "./archive.ts"
import { layerOrganizationRepositories } from "./organizations.ts"
import { layerSealRepository } from "./seals.ts"
import { layerTemplateRepository } from "./templates.ts"
import { layerUnitOfWork } from "./unitOfWork.ts"
import { layerOtpRepository } from "./otp.ts"
import { layerLimitCounters } from "./limitCounters.ts"
import { layerNotificationRepository } from "./notifications.ts"
import { layerOrderRepository } from "./orders.ts"
import { layerSessionRepository } from "./sessions.ts"
import { layerStaffRepository, layerUserRepository } from "./users.ts"
import { layerStaffSecurity } from "./staffSecurity.ts"
import { layerSmsQuota } from "./smsQuota.ts"
import { layerExternalSignatureRepository } from "./externalSignatures.ts"
import { layerAutoSignRepository } from "./autoSign.ts"
import { layerPersonalVerificationRepository } from "./verification/uploads.ts"

export { CurrentTransaction, Database, queryOn, decodeRow } from "./Database.ts"
export { migrate, migrateBefore, migrated } from "./migrations/index.ts"
export { layerSqlite } from "./sqlite/sqlite-database.ts"
export { dropSchema, layerPostgres } from "./postgres/postgres-database.ts"
export { layerIdGenerator, leaseWorkerId } from "./workers.ts"
export { layerEvidenceRepositories } from "./evidence.ts"

/** Every repository on Kysely; needs a `Database` (SQLite or Postgres). */
export const layerRepositories = Layer.mergeAll(
  layerUserRepository,
  layerStaffRepository,
  layerStaffSecurity,
  layerSessionRepository,
  layerAddressRepository,
  layerOtpRepository,
  layerLimitCounters,
  layerUnitOfWork,
  layerContractRepository,
  layerArchiveRepository,
  layerOrganizationRepositories,
  layerSealRepository,
  layerTemplateRepository,
  layerOrderRepository,
  layerSmsQuota,
  // Deferred signing with keys the signer holds (issue 20).
  layerExternalSignatureRepository,
  layerAutoSignRepository,
  // Every notice texted is also kept for the 提醒 centre (issue 17).
  layerNotificationRepository,
  // Sending a contract asks whether its sender is verified (issue 16).
  layerPersonalVerificationRepository,
)
