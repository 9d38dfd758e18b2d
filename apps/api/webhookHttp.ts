import { Effect, Layer } from "effect"
import { WebhookTransportError } from "../../core/api/ApiErrors.ts"
import { WebhookTransport } from "../../core/api/WebhookTransport.ts"

/**
 * Webhooks over HTTP(S) with fetch: no redirects followed (a receiver that
 * moved must be registered again), a 10 s limit per attempt, the answer's
 * body discarded.
 */
export const layerWebhookHttp = (timeoutMs = 10_000) => Layer.succeed(WebhookTransport, {
  post: (url, headers, body) =>
    Effect.tryPromise({
      try: async (signal) => {
        const response = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) })
        await response.body?.cancel()
        return { status: response.status }
      },
      catch: (e) => new WebhookTransportError({ reason: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
    }),
})
