import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Exit, Redacted } from "effect"
import { IdentityVerifier, type FourFactors } from "../../core/ports/IdentityVerifier.ts"
import { layer, signRequest, stringToSign } from "./index.ts"
import { startStandIn } from "../../fixtures/standIn.ts"

/**
 * A local stand-in provider: checks app id, signature, timestamp freshness and
 * nonce reuse like a real gateway; the ID number picks the scenario.
 */
const SECRET = "idv-secret"
const seenNonces = new Set<string>()
let standIn: Awaited<ReturnType<typeof startStandIn>>
let url = ""

beforeAll(async () => {
  standIn = await startStandIn((req, body, reply, res) => {
    const h = (n: string) => String(req.headers[n] ?? "")
    const expected = signRequest(SECRET, stringToSign("POST", req.url ?? "", h("x-timestamp"), h("x-nonce"), body))
    if (h("x-app-id") !== "app-1" || h("x-signature") !== expected) return reply(401, { code: "SIGNATURE_INVALID" })
    if (Math.abs(Date.now() - Number(h("x-timestamp"))) > 60_000 || seenNonces.has(h("x-nonce"))) return reply(401, { code: "REPLAY" })
    seenNonces.add(h("x-nonce"))
    const f = JSON.parse(body) as FourFactors
    switch (f.idNumber) {
      case "110101199003070011": return reply(200, { code: "OK", result: "MATCH", requestId: "req-42" })
      case "310115198505120024": return reply(200, { code: "OK", result: "MISMATCH", reason: "MOBILE_MISMATCH" })
      case "440305199208150034": return reply(200, { code: "OK", result: "MISMATCH", reason: "NAME_MISMATCH" })
      case "510107198802200044": return reply(503, { code: "UPSTREAM_BUSY" })
      case "330106199511110051": return void setTimeout(() => reply(200, { code: "OK", result: "MATCH" }), 2_000)
      default: return void res.end("<html>bad gateway</html>")
    }
  })
  url = `${standIn.url}/v2/bankcard4`
})
afterAll(() => standIn.close())

const check = (idNumber: string, secret = SECRET) =>
  Effect.runPromiseExit(
    IdentityVerifier.use((v) => v.verify({ name: "张三", idNumber, bankCard: "6222020200112233446", cardType: "debit", mobile: "13800000001" })).pipe(
      Effect.provide(layer({ url, appId: "app-1", secret: Redacted.make(secret), timeoutMs: 400 })),
    ),
  )

const outcome = (exit: Exit.Exit<{ reference: string }, { _tag: string; reason?: string; detail?: string }>) => {
  if (Exit.isSuccess(exit)) return `match ${exit.value.reference}`
  const r = exit.cause.reasons[0]
  return r?._tag === "Fail" ? `${r.error._tag} ${r.error.reason ?? r.error.detail}` : `died ${String(r)}`
}

describe("HTTP identity provider adapter", () => {
  it("sends a signed, fresh request and maps the answers", async () => {
    expect(outcome(await check("110101199003070011"))).toBe("match req-42")
    expect(outcome(await check("310115198505120024"))).toBe("IdentityRejected card-not-bound-to-mobile")
    expect(outcome(await check("440305199208150034"))).toBe("IdentityRejected name-mismatch")
  })

  it("anything that decides nothing is 'unavailable': bad signature, 5xx, garbage, timeout", async () => {
    expect(outcome(await check("110101199003070011", "wrong"))).toBe("IdentityProviderUnavailable HTTP 401: SIGNATURE_INVALID")
    expect(outcome(await check("510107198802200044"))).toBe("IdentityProviderUnavailable HTTP 503: UPSTREAM_BUSY")
    expect(outcome(await check("110108198001010066"))).toBe("IdentityProviderUnavailable HTTP 200: unreadable reply")
    expect(outcome(await check("330106199511110051"))).toBe("IdentityProviderUnavailable TimeoutError")
  })
})
