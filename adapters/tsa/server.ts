/** The local TSA over HTTP: POST application/timestamp-query -> application/timestamp-reply. */
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"
import { respond, type TsaResponderOptions } from "./responder.ts"

export interface RunningTsa {
  readonly url: string
  readonly close: () => Promise<void>
}

export const startTsaServer = (options: TsaResponderOptions, port = 0, host = "127.0.0.1"): Promise<RunningTsa> => {
  const server: Server = createServer((req, res) => {
    if (req.method !== "POST" || req.headers["content-type"] !== "application/timestamp-query") {
      res.writeHead(415).end("expected POST application/timestamp-query")
      return
    }
    const chunks: Array<Buffer> = []
    let size = 0
    req.on("data", (c: Buffer) => {
      size += c.length
      if (size > 64 * 1024) req.destroy()
      else chunks.push(c)
    })
    req.on("end", () => {
      Effect.runPromise(respond(new Uint8Array(Buffer.concat(chunks)), options)).then(
        (body) => res.writeHead(200, { "content-type": "application/timestamp-reply", "content-length": body.length }).end(body),
        (e: unknown) => res.writeHead(500).end(String(e)),
      )
    })
  })
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const { port: p } = server.address() as AddressInfo
      resolve({ url: `http://${host}:${p}/`, close: () => new Promise((r) => server.close(() => r())) })
    })
  })
}
