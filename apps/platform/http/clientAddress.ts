import { BlockList, isIP } from "node:net"
import type { Context } from "hono"

/** What the address of a request's client is taken from (SIGNET_TRUSTED_PROXIES). */
export type ClientAddress = (c: Context) => string

/** The socket peer's address as @hono/node-server hands it over; none for in-process requests (tests). */
export const socketAddress = (c: Context): string | undefined =>
  (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress

/** An IPv4 address as it arrives on a dual-stack socket (::ffff:192.0.2.1) is read as the IPv4 address. */
const plain = (address: string): string => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "")

const family = (address: string): "ipv4" | "ipv6" | null => {
  const v = isIP(address)
  return v === 4 ? "ipv4" : v === 6 ? "ipv6" : null
}

/**
 * Parses SIGNET_TRUSTED_PROXIES: addresses and CIDR ranges, comma- or
 * space-separated (`10.0.0.0/8, 192.0.2.7, fd00::/8`). Returns the problems
 * found, if any, for the configuration error.
 */
export const parseTrustedProxies = (text: string): { readonly list: BlockList; readonly entries: ReadonlyArray<string>; readonly problems: ReadonlyArray<string> } => {
  const list = new BlockList()
  const entries = text.split(/[\s,]+/).filter((e) => e.length > 0)
  const problems: Array<string> = []
  for (const entry of entries) {
    const [address = "", prefix, extra] = entry.split("/")
    const type = family(address)
    const bits = prefix === undefined ? null : Number(prefix)
    if (type === null || extra !== undefined || (bits !== null && (!/^\d{1,3}$/.test(prefix!) || bits > (type === "ipv4" ? 32 : 128)))) {
      problems.push(`"${entry}" is not an IP address or CIDR range`)
      continue
    }
    if (bits === null) list.addAddress(address, type)
    else list.addSubnet(address, bits, type)
  }
  return { list, entries, problems }
}

const isTrusted = (list: BlockList, address: string): boolean => {
  const type = family(address)
  return type !== null && list.check(address, type)
}

/**
 * The client's address for rate limits. The socket's peer, unless that peer
 * is a trusted proxy: then X-Forwarded-For is read from the right, skipping
 * trusted proxies, and the first address that is not one is the client (the
 * left part of the header is whatever the client sent, so it is never
 * believed). With no trusted proxy configured the header is ignored.
 */
export const clientAddressFrom = (trusted: BlockList): ClientAddress => (c) => {
  const peer = plain(socketAddress(c) ?? "local")
  if (!isTrusted(trusted, peer)) return peer
  const hops = (c.req.header("x-forwarded-for") ?? "").split(",").map((h) => plain(h.trim())).filter((h) => h.length > 0)
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrusted(trusted, hops[i]!)) return hops[i]!
  }
  return hops[0] ?? peer
}
