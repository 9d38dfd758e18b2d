import { describe, expect, it } from "vitest"
import { Hono } from "hono"
import { clientAddressFrom, parseTrustedProxies } from "./clientAddress.ts"

const seen = async (trusted: string, peer: string | undefined, xff?: string) => {
  const app = new Hono()
  app.get("/", (c) => c.text(clientAddressFrom(parseTrustedProxies(trusted).list)(c)))
  const env = peer === undefined ? undefined : { incoming: { socket: { remoteAddress: peer } } }
  return (await app.request("http://localhost/", { headers: xff === undefined ? {} : { "x-forwarded-for": xff } }, env)).text()
}

describe("client address (SIGNET_TRUSTED_PROXIES)", () => {
  it("without trusted proxies the socket peer is the client, whatever X-Forwarded-For says", async () => {
    expect(await seen("", "203.0.113.9", "198.51.100.1")).toBe("203.0.113.9")
    expect(await seen("", "::ffff:203.0.113.9")).toBe("203.0.113.9")
    expect(await seen("", undefined)).toBe("local")
  })

  it("a spoofed X-Forwarded-For from a peer that is not a trusted proxy is ignored", async () => {
    expect(await seen("10.0.0.0/8", "203.0.113.9", "198.51.100.1")).toBe("203.0.113.9")
  })

  it("behind trusted proxies the header is read from the right, and what the client put on the left is not believed", async () => {
    expect(await seen("10.0.0.0/8", "10.0.0.2", "198.51.100.1")).toBe("198.51.100.1")
    expect(await seen("10.0.0.0/8", "::ffff:10.0.0.2", "1.2.3.4, 198.51.100.1, 10.0.0.3")).toBe("198.51.100.1")
    expect(await seen("10.0.0.2, fd00::/8", "fd00::5", "2001:db8::7")).toBe("2001:db8::7")
    // A trusted proxy that sent no header: the proxy itself is all we know.
    expect(await seen("10.0.0.2", "10.0.0.2")).toBe("10.0.0.2")
  })

  it("names every entry that is not an address or range", () => {
    expect(parseTrustedProxies("10.0.0.0/8, 192.0.2.7 fd00::/8").problems).toEqual([])
    expect(parseTrustedProxies("10.0.0.0/33, proxy.local, 1.2.3.4/8/1").problems).toEqual([
      '"10.0.0.0/33" is not an IP address or CIDR range', '"proxy.local" is not an IP address or CIDR range', '"1.2.3.4/8/1" is not an IP address or CIDR range',
    ])
  })
})
