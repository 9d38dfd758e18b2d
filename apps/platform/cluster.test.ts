import { request } from "node:http"
import { describe, expect, it } from "vitest"
import { eventually } from "../api/fixtures.ts"
import { withServerProcess } from "../../fixtures/serverProcess.ts"

/** One request on a fresh connection (no keep-alive: the cluster's primary hands each connection to a server in turn). */
const call = (port: number, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
  new Promise<{ status: number; headers: Record<string, string | Array<string> | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: init.method ?? "GET", agent: false, headers: { connection: "close", ...init.headers } }, (res) => {
      let body = ""
      res.setEncoding("utf8")
      res.on("data", (d: string) => void (body += d))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on("error", reject)
    req.end(init.body)
  })

const cookiesOf = (headers: Record<string, string | Array<string> | undefined>) =>
  ([headers["set-cookie"] ?? []].flat()).map((c) => c.split(";")[0]!)

/**
 * Issue 23, both cores: `SIGNET_WORKERS=2` starts a primary and two server
 * processes sharing the ports on one SQLite data directory: exactly one lead
 * (it seeds and runs the job workers); connections reach both servers; a session
 * and CSRF token made by one are accepted by the other (one database, one
 * secret); a log-in on each (writes under IMMEDIATE transactions) succeeds.
 * SIGTERM to the primary drains both and exits 0 with every worker-id lease released.
 */
describe("a cluster of two server processes on one SQLite database", () => {
  it("one lead, both serve, a session made on one works on the other, SIGTERM stops all with exit 0", () =>
    withServerProcess("cluster", { SIGNET_WORKERS: "2" }, async ({ child, output, exited, leases }) => {
    const lines = () => output().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>)
      const listening = await eventually(() => {
        const ls = lines().filter((l) => l.msg === "listening")
        return ls.length >= 2 ? ls : undefined
      }, "two server processes to listen", 90_000)
      expect(listening.map((l) => l.lead).sort()).toEqual([false, true])
      // Both on the same ports (node:cluster shares the handle, port 0 included).
      expect(new Set(listening.map((l) => l.portal)).size).toBe(1)
      const port = Number(String(listening[0]!.portal).match(/:(\d+)$/)![1])

      // Ten fresh connections: both servers answer some.
      for (let i = 0; i < 10; i++) expect((await call(port, "/login")).status).toBe(200)
      const pids = new Set(lines().filter((l) => l.msg === "request" && l.path === "/login").map((l) => l.pid))
      expect(pids.size).toBe(2)

      // A log-in form from one server, posted to the next (round robin), the session used on both.
      const sessions = new Set<unknown>()
      for (let attempt = 0; attempt < 2; attempt++) {
        const form = await call(port, "/login")
        const csrf = form.body.match(/name="_csrf" value="([^"]+)"/)![1]!
        const posted = await call(port, "/login", {
          method: "POST",
          headers: { cookie: cookiesOf(form.headers).join("; "), "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ _csrf: csrf, mobile: "13800000001", password: "Demo1234" }).toString(),
        })
        expect(posted.status).toBe(303)
        const cookie = [...cookiesOf(form.headers), ...cookiesOf(posted.headers)].join("; ")
        sessions.add(cookie)
        for (let i = 0; i < 4; i++) {
          const page = await call(port, "/contracts", { headers: { cookie } })
          expect(page.status).toBe(200)
          expect(page.body).toContain("张三")
        }
      }
      const served = lines().filter((l) => l.msg === "request" && l.path === "/contracts" && l.status === 200)
      expect(new Set(served.map((l) => l.pid)).size).toBe(2)

      // Two live worker-id leases: one per server process (snowflake ids never collide).
      expect(leases()).toBe(2)

      child.kill("SIGTERM")
      expect(await exited).toBe(0)
      expect(output().match(/"msg":"shutdown complete"/g)?.length).toBe(2)
      expect(leases()).toBe(0)
    }), 180_000)
})
