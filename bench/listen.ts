import type { Server } from "node:http"
import { serve } from "@hono/node-server"

/** Serves `fetch` on 127.0.0.1 at a free port; `close` ends the server and its kept-alive connections. */
export const listen = (fetch: (req: Request) => Response | Promise<Response>) =>
  new Promise<{ url: string; close: () => Promise<void> }>((resolve) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve({
      url: `http://127.0.0.1:${info.port}`,
      close: () => new Promise<void>((done) => {
        ;(server as Server).close(() => done())
        ;(server as Server).closeAllConnections()
      }),
    }))
  })
