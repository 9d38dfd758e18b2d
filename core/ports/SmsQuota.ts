import { Context, type Effect } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"

/** Daily SMS limits (issue 16): texts one account may cause, texts one number may receive (Beijing calendar day). */
export interface SmsQuotaLimits {
  readonly perAccount: number
  readonly perRecipient: number
}

/** The limits in force; the platform sets them from SIGNET_SMS_DAILY_PER_ACCOUNT / _PER_RECIPIENT. */
export const SmsQuotaLimits = Context.Reference<SmsQuotaLimits>("core/ports/SmsQuotaLimits", {
  defaultValue: () => ({ perAccount: 50, perRecipient: 10 }),
})

export interface SmsQuotaRequest {
  readonly account: string
  /** One entry per text (a number texted twice counts twice). */
  readonly recipients: ReadonlyArray<string>
  /** The calendar day counted, e.g. "2026-12-07". */
  readonly day: string
  readonly limits: SmsQuotaLimits
}

/**
 * Daily SMS counters kept in the database, so they hold across processes.
 * `take` counts all of a request's texts or none: it answers which limit
 * would be passed ("account" or "recipient"), counting nothing, or "ok".
 */
export class SmsQuota extends Context.Service<SmsQuota, {
  readonly take: (request: SmsQuotaRequest) => Effect.Effect<"ok" | "account" | "recipient", RepositoryError>
}>()("core/ports/SmsQuota") {}
