import type { Server } from "node:http"

/**
 * Stops a server gracefully: no new connections, requests in flight answered,
 * kept-alive connections closed as they go idle; whatever is still open after
 * `graceMs` is cut. Resolves once the server is closed, with how many
 * connections had to be cut.
 */
export const drain = (server: Server, graceMs: number) =>
  new Promise<{ cut: number }>((resolve) => {
    let cut = 0
    const idle = setInterval(() => server.closeIdleConnections(), 50)
    const deadline = setTimeout(() => {
      server.getConnections((_e, n) => {
        cut = n
        server.closeAllConnections()
      })
    }, graceMs)
    server.close(() => {
      clearInterval(idle)
      clearTimeout(deadline)
      resolve({ cut })
    })
    server.closeIdleConnections()
  })
