import { describe, type AccountError, type Described, type InfrastructureError } from "./catalogue.ts"

export type { Described }

/** The account, one-time code and kernel errors: most forms meet only these. */
export type DomainError = AccountError | InfrastructureError

/** Every domain error the web app can meet, as an HTTP status and a zh-CN message (apps/web/catalogue.ts). */
export const describeError = (e: DomainError): Described => describe(e)
