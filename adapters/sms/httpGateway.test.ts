import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Exit, Redacted } from "effect"
import { SmsSender } from "../../core/ports/SmsSender.ts"
import { layerHttpGateway, signRequest } from "./httpGateway.ts"
import { startStandIn } from "../../fixtures/standIn.ts"

/**
 * A local stand-in for an SMS provider: checks the access key and signature
 * like a real gateway, answers per scenario (the mobile number picks it).
 */
const SECRET = "gateway-secret"
const received: Array<{ mobile: string; templateId: string; vars: Record<string, string> }> = []
let standIn: Awaited<ReturnType<typeof startStandIn>>
let url = ""

beforeAll(async () => {
  standIn = await startStandIn((req, body, reply, res) => {
    const { mobile, templateId, vars } = JSON.parse(body) as { mobile: string; templateId: string; vars: Record<string, string> }
    const signed = req.headers["x-signature"] === signRequest(SECRET, String(req.headers["x-timestamp"]), body)
    if (req.headers["x-access-key"] !== "ak-test" || !signed) return reply(401, { code: "SIGNATURE_INVALID" })
    if (mobile === "13900000002") return reply(200, { code: "MOBILE_BLACKLISTED", message: "blocked" })
    if (mobile === "13900000003") return reply(503, { code: "BUSY" })
    if (mobile === "13900000004") return void setTimeout(() => reply(200, { code: "OK" }), 2_000)
    if (mobile === "13900000005") return void res.end("<html>proxy error</html>")
    received.push({ mobile, templateId, vars })
    reply(200, { code: "OK", requestId: "r-1" })
  })
  url = `${standIn.url}/v1/send`
})
afterAll(() => standIn.close())

const send = (mobile: string, secret = SECRET) =>
  Effect.runPromiseExit(
    SmsSender.use((s) => s.send({ mobile, template: "SIGNET_OTP", vars: { code: "123456", purpose: "登录" } })).pipe(
      Effect.provide(layerHttpGateway({ url, accessKey: "ak-test", secret: Redacted.make(secret), timeoutMs: 500 })),
    ),
  )

const reasonOf = (exit: Exit.Exit<void, { reason: string }>) => {
  if (Exit.isSuccess(exit)) return "sent"
  const r = exit.cause.reasons[0]
  return r?._tag === "Fail" ? r.error.reason : `died: ${String(r)}`
}

describe("HTTP SMS gateway adapter", () => {
  it("sends a signed request the gateway accepts", async () => {
    expect(reasonOf(await send("13900000001"))).toBe("sent")
    // A fixed template's id and its variables, never free text (issue 16).
    expect(received).toEqual([{ mobile: "13900000001", templateId: "SIGNET_OTP", vars: { code: "123456", purpose: "登录" } }])
  })

  it("turns every failure into SmsNotDelivered with the gateway's code, never the message text", async () => {
    expect(reasonOf(await send("13900000001", "wrong-secret"))).toBe("HTTP 401: SIGNATURE_INVALID")
    expect(reasonOf(await send("13900000002"))).toBe("HTTP 200: MOBILE_BLACKLISTED")
    expect(reasonOf(await send("13900000003"))).toBe("HTTP 503: BUSY")
    expect(reasonOf(await send("13900000004"))).toMatch(/^TimeoutError/)
    expect(reasonOf(await send("13900000005"))).toBe("HTTP 200: unreadable reply")
    for (const mobile of ["13900000002", "13900000003"]) {
      expect(reasonOf(await send(mobile))).not.toContain("123456")
    }
  })
})
