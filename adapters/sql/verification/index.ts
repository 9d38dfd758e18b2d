import { Layer } from "effect"
import { layerEnterpriseRepository } from "./enterprises.ts"
import { layerEnterpriseVerificationRepository } from "./enterpriseVerifications.ts"
import { layerPersonalVerificationRepository, layerUploadRepository } from "./uploads.ts"

/** Verification (V1-V4) and enterprise repositories on Kysely; needs a `Database` migrated past 0002. */
export const layerVerificationRepositories = Layer.mergeAll(
  layerUploadRepository,
  layerPersonalVerificationRepository,
  layerEnterpriseVerificationRepository,
  layerEnterpriseRepository,
)
