import { Context, type Effect } from "effect"
import type { WebhookTransportError } from "../api/ApiErrors.ts"

/** POSTs a webhook body; any HTTP answer is a success here (the caller judges the status). */
export class WebhookTransport extends Context.Service<WebhookTransport, {
  readonly post: (url: string, headers: Readonly<Record<string, string>>, body: string) => Effect.Effect<{ readonly status: number }, WebhookTransportError>
}>()("core/api/WebhookTransport") {}
