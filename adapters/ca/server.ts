/**
 * The CA's revocation services over HTTP, on a port of their own (an OCSP
 * client POSTs without a session or CSRF token, so they stay outside the
 * platform's routers): POST /ocsp (application/ocsp-request), GET
 * /ocsp/<base64 request> (RFC 6960 A.1), GET /crl/issuing.crl and /crl/root.crl.
 */
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"
import { respondOcsp } from "./ocsp.ts"
import { currentCrl, type SoftwareCa } from "./softwareCa.ts"

export interface RunningCaServer {
  /** Base URL, no trailing slash: give it to `caUrls`. */
  readonly url: string
  readonly close: () => Promise<void>
}

const MAX_REQUEST = 16 * 1024

/** `ca` may be given late (a function): a CA created after the server names the server's URL in its certificates. */
export const startCaServer = (caOrLater: SoftwareCa | (() => SoftwareCa), port = 0, host = "127.0.0.1"): Promise<RunningCaServer> => {
  const current = () => (typeof caOrLater === "function" ? caOrLater() : caOrLater)
  const answer = (res: import("node:http").ServerResponse, body: Effect.Effect<Uint8Array | undefined, unknown>, type: string) =>
    Effect.runPromise(body).then(
      (b) => (b === undefined ? res.writeHead(404).end() : res.writeHead(200, { "content-type": type, "content-length": b.length }).end(b)),
      () => res.writeHead(500).end(),
    )
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/"
    if (req.method === "GET" && (path === "/crl/issuing.crl" || path === "/crl/root.crl")) {
      void answer(res, currentCrl(current(), path === "/crl/root.crl" ? "root" : "issuing"), "application/pkix-crl")
      return
    }
    if (req.method === "GET" && path.startsWith("/ocsp/")) {
      const der = new Uint8Array(Buffer.from(decodeURIComponent(path.slice("/ocsp/".length)), "base64"))
      void answer(res, respondOcsp(current(), der), "application/ocsp-response")
      return
    }
    if (req.method === "POST" && (path === "/ocsp" || path === "/ocsp/")) {
      const chunks: Array<Buffer> = []
      let size = 0
      req.on("data", (c: Buffer) => {
        size += c.length
        if (size > MAX_REQUEST) req.destroy()
        else chunks.push(c)
      })
      req.on("end", () => void answer(res, respondOcsp(current(), new Uint8Array(Buffer.concat(chunks))), "application/ocsp-response"))
      return
    }
    res.writeHead(404).end()
  })
  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, host, () => {
      const { port: p } = server.address() as AddressInfo
      resolve({ url: `http://${host}:${p}`, close: () => new Promise((r) => server.close(() => r())) })
    })
  })
}
