import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bootForTest } from "../../../fixtures/boot.ts"
import { WEB_UPLOAD_ROUTES } from "../../web/app.tsx"
import { BODY_KINDS } from "./bodyLimits.ts"

/** A body of `bytes` bytes, either with its Content-Length or streamed without one (chunked), as an attacker may send it. */
const bodyOf = (bytes: number, streamed: boolean): RequestInit => {
  const chunk = new Uint8Array(64 * 1024).fill(0x61)
  if (!streamed) return { method: "POST", body: new Uint8Array(bytes).fill(0x61), headers: { "content-type": "application/x-www-form-urlencoded" } }
  let left = bytes
  const stream = new ReadableStream<Uint8Array>({
    pull: (controller) => {
      if (left <= 0) return controller.close()
      const n = Math.min(left, chunk.length)
      left -= n
      controller.enqueue(chunk.subarray(0, n))
    },
  })
  return { method: "POST", body: stream, headers: { "content-type": "application/x-www-form-urlencoded" }, duplex: "half" } as RequestInit
}

const ID = "1248849947504173056"
/** A path each upload rule answers for (the rules are regular expressions). */
const samplePaths = ["/contracts", "/archive/uploads", `/org/${ID}/platform`, "/evidence/verify", "/verification/personal", "/verification/personal/photo",
  "/verification/enterprise/licence", "/verification/enterprise/info", `/verification/enterprise/${ID}/letter`, "/orders", "/orders/apply", `/orders/${ID}/edit`,
  `/org/${ID}/seals`, `/org/${ID}/signatures`, "/account/signature", `/org/${ID}/templates`]

describe("body limits on every app, per route kind, before anything parses (issue 16 finding 4)", () => {
  let booted: Awaited<ReturnType<typeof bootForTest>>
  beforeAll(async () => { booted = await bootForTest() })
  afterAll(() => booted.close())

  it("the admin app refuses an anonymous oversized form POST to /login with 413, declared or streamed", async () => {
    for (const streamed of [false, true]) {
      const res = await booted.admin.request("http://localhost/login", bodyOf(BODY_KINDS.form.maxBytes + 1, streamed))
      expect(res.status).toBe(413)
      expect(await res.text()).toContain("表单不超过 128 KB")
    }
  })

  it("the portal limits a plain form to the form size, and each upload route to its kind", async () => {
    expect((await booted.web.request("http://localhost/login", bodyOf(BODY_KINDS.form.maxBytes + 1, true))).status).toBe(413)
    // Every upload rule is exercised by a sample path, and no sample path falls to the form limit.
    for (const rule of WEB_UPLOAD_ROUTES) expect(samplePaths.some((p) => rule.path.test(p)), String(rule.path)).toBe(true)
    for (const path of samplePaths) {
      const kind = WEB_UPLOAD_ROUTES.find((r) => r.path.test(path))?.kind
      expect(kind, path).toBeDefined()
      const over = await booted.web.request(`http://localhost${path}`, bodyOf(kind!.maxBytes + 1, false))
      expect(over.status, path).toBe(413)
      expect(await over.text()).toContain(kind!.tooLarge)
      // Just over the form limit is still within an upload's: it goes on (to the CSRF check, which refuses a token-less post).
      expect((await booted.web.request(`http://localhost${path}`, bodyOf(BODY_KINDS.form.maxBytes + 1, false))).status, path).not.toBe(413)
    }
  })

  it("the partner API limits JSON bodies to 256 KB (a problem+json in zh-CN) and only contract creation takes a PDF", async () => {
    const json = await booted.web.request(`http://localhost/api/v1/contracts/${ID}/revoke`, bodyOf(BODY_KINDS.json.maxBytes + 1, true))
    expect(json.status).toBe(413)
    expect(json.headers.get("content-type")).toContain("application/problem+json")
    expect((await json.json()).detail).toBe(BODY_KINDS.json.tooLarge)
    expect((await booted.web.request("http://localhost/api/v1/contracts", bodyOf(BODY_KINDS.json.maxBytes + 1, false))).status).not.toBe(413)
    expect((await booted.web.request("http://localhost/api/v1/contracts", bodyOf(BODY_KINDS.contract.maxBytes + 1, false))).status).toBe(413)
  })
})
