import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Layer } from "effect"
import { WebhookTransport } from "../../core/ports/WebhookTransport.ts"
import { checkOutboundTarget, OutboundPolicy } from "../../core/net/outbound.ts"
import { layerDnsResolver, layerWebhookHttp } from "./webhookHttp.ts"
import { webhookReceiver } from "./fixtures.ts"

/** The transport and the resolver under production rules (no loopback) or the dev profile's. */
const stack = (allowLoopback: boolean) =>
  Layer.mergeAll(layerWebhookHttp({ timeoutMs: 5_000 }), layerDnsResolver).pipe(Layer.provideMerge(Layer.succeed(OutboundPolicy, { allowLoopback })))

const post = (url: string, allowLoopback: boolean) =>
  Effect.runPromise(WebhookTransport.use((t) => t.post(url, { "content-type": "application/json" }, "{}")).pipe(
    Effect.match({ onFailure: (e) => ({ refused: e.refused === true, reason: e.reason }), onSuccess: (r) => ({ status: r.status }) }),
    Effect.provide(stack(allowLoopback)),
  ))

let receiver: Awaited<ReturnType<typeof webhookReceiver>>
beforeAll(async () => {
  receiver = await webhookReceiver()
})
afterAll(() => receiver.close())

describe("webhook transport: the receiver's address is checked at every connection", () => {
  it("production rules: a host NAME resolving to 127.0.0.1 (localhost) is refused at resolution and never connected to", async () => {
    const url = receiver.url.replace("127.0.0.1", "localhost")
    const before = receiver.received.length
    const r = await post(url, false)
    expect(r).toMatchObject({ refused: true })
    expect((r as { reason: string }).reason).toMatch(/localhost resolves to (127\.0\.0\.1|::1) \(loopback\)/)
    expect(receiver.received.length).toBe(before)
  })

  it("production rules: IP literals of private networks are refused without a connection", async () => {
    for (const url of ["http://127.0.0.1:9/x", "http://10.0.0.1/x", "http://169.254.169.254/latest", "http://[::1]:9/x", "http://[fd00::1]/x", "http://[::ffff:192.168.0.1]/x", "http://100.64.0.1/"]) {
      expect([url, await post(url, false)]).toEqual([url, expect.objectContaining({ refused: true })])
    }
  })

  it("the dev profile's rules let the same local receiver be reached (by name and by address)", async () => {
    const before = receiver.received.length
    expect(await post(receiver.url.replace("127.0.0.1", "localhost"), true)).toEqual({ status: 200 })
    expect(await post(receiver.url, true)).toEqual({ status: 200 })
    expect(receiver.received.length).toBe(before + 2)
    // Loopback only: a private address stays refused in development too.
    expect(await post("http://10.0.0.1/x", true)).toMatchObject({ refused: true })
  })

  it("registration check with the system resolver: localhost is refused in production, allowed in dev", async () => {
    const check = (allowLoopback: boolean) =>
      Effect.runPromise(checkOutboundTarget("https://localhost/hooks").pipe(
        Effect.match({ onFailure: (e) => e.reason, onSuccess: () => "ok" }),
        Effect.provide(stack(allowLoopback)),
      ))
    expect(await check(false)).toBe("loopback")
    expect(await check(true)).toBe("ok")
  })
})
