/**
 * Which kind of network an IP address belongs to (pure, no DNS): the
 * platform posts webhooks only to public addresses, so that an enterprise
 * cannot make the server call its own loopback, the operator's private
 * network or a cloud metadata service (SSRF). IPv4 and IPv6, including
 * IPv4-mapped, 6to4 and NAT64 addresses, which are judged by the IPv4
 * address they carry.
 */

export type AddressClass =
  | "public"
  /** 127.0.0.0/8, ::1 */
  | "loopback"
  /** RFC 1918: 10/8, 172.16/12, 192.168/16; IPv6 site-local fec0::/10 */
  | "private"
  /** 169.254/16 (cloud metadata lives here), fe80::/10 */
  | "linkLocal"
  /** RFC 6598 carrier-grade NAT: 100.64/10 */
  | "cgnat"
  /** IPv6 unique local addresses fc00::/7 */
  | "uniqueLocal"
  /** 0.0.0.0/8, :: */
  | "unspecified"
  /** 224/4, ff00::/8 */
  | "multicast"
  /** Not routable on the internet: documentation, benchmarking, IETF, 240/4, broadcast, 2001:db8::/32, Teredo... */
  | "reserved"
  /** Not an IP address at all. */
  | "invalid"

/** A dotted-quad IPv4 address as an unsigned 32-bit number, or null (decimal octets only, no leading zeros). */
export const parseIPv4 = (text: string): number | null => {
  const parts = text.split(".")
  if (parts.length !== 4) return null
  let value = 0
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null
    const n = Number(p)
    if (n > 255) return null
    value = value * 256 + n
  }
  return value
}

/** An IPv6 address as its eight 16-bit groups, or null. Accepts `::` and a dotted IPv4 tail; no zone ids. */
export const parseIPv6 = (text: string): ReadonlyArray<number> | null => {
  if (text.length === 0 || text.length > 45 || !/^[0-9a-fA-F:.]+$/.test(text)) return null
  let tail: Array<number> = []
  let body = text
  const lastColon = text.lastIndexOf(":")
  if (text.includes(".")) {
    const v4 = parseIPv4(text.slice(lastColon + 1))
    if (v4 === null) return null
    tail = [v4 >>> 16, v4 & 0xffff]
    body = text.slice(0, lastColon + 1)
    // "::1.2.3.4" leaves "::", "ffff:1.2.3.4" leaves "ffff:": drop a lone trailing colon.
    if (body.endsWith(":") && !body.endsWith("::")) body = body.slice(0, -1)
  }
  const halves = body.split("::")
  if (halves.length > 2) return null
  const groups = (s: string) => s === "" ? [] : s.split(":")
  const head = groups(halves[0]!)
  const rest = halves.length === 2 ? groups(halves[1]!) : []
  const hex = [...head, ...rest]
  if (!hex.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return null
  const given = hex.length + tail.length
  if (halves.length === 1 && given !== 8) return null
  if (halves.length === 2 && given > 7) return null
  const zeros = 8 - given
  return [...head, ...Array<string>(halves.length === 2 ? zeros : 0).fill("0"), ...rest].map((g) => parseInt(g, 16)).concat(tail)
}

const inV4 = (a: number, base: string, bits: number) => {
  const b = parseIPv4(base)!
  const shift = 32 - bits
  return bits === 0 || Math.floor(a / 2 ** shift) === Math.floor(b / 2 ** shift)
}

const V4_RANGES: ReadonlyArray<readonly [string, number, AddressClass]> = [
  ["0.0.0.0", 8, "unspecified"],
  ["127.0.0.0", 8, "loopback"],
  ["10.0.0.0", 8, "private"],
  ["172.16.0.0", 12, "private"],
  ["192.168.0.0", 16, "private"],
  ["169.254.0.0", 16, "linkLocal"],
  ["100.64.0.0", 10, "cgnat"],
  ["192.0.0.0", 24, "reserved"], // IETF protocol assignments
  ["192.0.2.0", 24, "reserved"], // TEST-NET-1
  ["198.51.100.0", 24, "reserved"], // TEST-NET-2
  ["203.0.113.0", 24, "reserved"], // TEST-NET-3
  ["198.18.0.0", 15, "reserved"], // benchmarking
  ["192.88.99.0", 24, "reserved"], // 6to4 relay anycast (deprecated)
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"], // future use and 255.255.255.255
]

/** The class of an IPv4 address given as a 32-bit number. */
export const classifyIPv4 = (a: number): AddressClass => V4_RANGES.find(([base, bits]) => inV4(a, base, bits))?.[2] ?? "public"

const v4Of = (hi: number, lo: number) => hi * 65536 + lo

/** The class of an IPv6 address given as eight groups. */
export const classifyIPv6 = (g: ReadonlyArray<number>): AddressClass => {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0)
  if (zeroUpTo(8)) return "unspecified"
  if (zeroUpTo(7) && g[7] === 1) return "loopback"
  // ::ffff:a.b.c.d (IPv4-mapped) and ::ffff:0:a.b.c.d (IPv4-translated): the IPv4 address decides.
  if (zeroUpTo(5) && g[5] === 0xffff) return classifyIPv4(v4Of(g[6]!, g[7]!))
  if (zeroUpTo(4) && g[4] === 0xffff && g[5] === 0) return classifyIPv4(v4Of(g[6]!, g[7]!))
  // ::a.b.c.d (IPv4-compatible, deprecated): never a real destination.
  if (zeroUpTo(6)) return "reserved"
  // 64:ff9b::/96 NAT64 well-known prefix: the gateway would connect to the embedded IPv4 address.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyIPv4(v4Of(g[6]!, g[7]!))
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return "private" // 64:ff9b:1::/48 local-use NAT64
  // 2002::/16 6to4: the IPv4 address is in groups 1-2.
  if (g[0] === 0x2002) return classifyIPv4(v4Of(g[1]!, g[2]!))
  const first = g[0]!
  if ((first & 0xfe00) === 0xfc00) return "uniqueLocal"
  if ((first & 0xffc0) === 0xfe80) return "linkLocal"
  if ((first & 0xffc0) === 0xfec0) return "private" // site-local (deprecated)
  if ((first & 0xff00) === 0xff00) return "multicast"
  if (first === 0x2001 && g[1] === 0x0db8) return "reserved" // documentation
  if (first === 0x2001 && g[1] === 0) return "reserved" // Teredo: the real peer is hidden in the address
  if (first === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return "reserved" // discard-only 100::/64
  // Only 2000::/3 is allocated as global unicast.
  if ((first & 0xe000) !== 0x2000) return "reserved"
  return "public"
}

/** An IP literal as found in a URL host or a DNS answer (IPv6 may be in brackets). */
export const classifyAddress = (text: string): AddressClass => {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text
  const v4 = parseIPv4(bare)
  if (v4 !== null) return classifyIPv4(v4)
  const v6 = parseIPv6(bare)
  return v6 === null ? "invalid" : classifyIPv6(v6)
}

/** Is this text an IP address (not a host name)? */
export const isIpLiteral = (text: string): boolean => classifyAddress(text) !== "invalid"

export interface OutboundRules {
  /** Development and tests only: loopback receivers (a local test server). Never in production. */
  readonly allowLoopback: boolean
}

/** May the platform connect to an address of this class? Public always; loopback only when the rules allow. */
export const outboundAllowed = (cls: AddressClass, rules: OutboundRules): boolean =>
  cls === "public" || (cls === "loopback" && rules.allowLoopback)

/** The first of a host's addresses the platform may not connect to, with its class (any one refuses the host: DNS rebinding). */
export const firstRefused = (addresses: ReadonlyArray<string>, rules: OutboundRules): { readonly address: string; readonly class: AddressClass } | undefined => {
  for (const address of addresses) {
    const cls = classifyAddress(address)
    if (!outboundAllowed(cls, rules)) return { address, class: cls }
  }
  return undefined
}
