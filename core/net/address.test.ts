import { describe, expect, it } from "vitest"
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { Effect, Layer } from "effect"
import { classifyAddress, firstRefused, outboundAllowed, parseIPv4, parseIPv6, type AddressClass } from "./address.ts"
import { HostResolver, HostUnresolved } from "../ports/HostResolver.ts"
import { checkOutboundTarget, hostOf, OutboundPolicy } from "./outbound.ts"

describe("classifyAddress: IPv4", () => {
  it.each([
    ["127.0.0.1", "loopback"], ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private"], ["10.255.255.255", "private"], ["172.16.0.1", "private"], ["172.31.255.255", "private"], ["192.168.1.10", "private"],
    ["169.254.169.254", "linkLocal"], ["100.64.0.1", "cgnat"], ["100.127.255.255", "cgnat"],
    ["0.0.0.0", "unspecified"], ["0.1.2.3", "unspecified"],
    ["224.0.0.1", "multicast"], ["255.255.255.255", "reserved"], ["192.0.2.7", "reserved"], ["198.18.0.1", "reserved"],
    // Just outside the ranges: public.
    ["8.8.8.8", "public"], ["1.1.1.1", "public"], ["172.15.255.255", "public"], ["172.32.0.0", "public"], ["100.63.255.255", "public"],
    ["100.128.0.0", "public"], ["11.0.0.0", "public"], ["192.169.0.1", "public"], ["126.255.255.255", "public"],
  ] as const)("%s is %s", (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected)
  })

  it("parses only decimal dotted quads", () => {
    expect(parseIPv4("1.2.3.4")).toBe(0x01020304)
    expect([parseIPv4("1.2.3"), parseIPv4("1.2.3.256"), parseIPv4("01.2.3.4"), parseIPv4("0x7f.0.0.1"), parseIPv4("1.2.3.4.5"), parseIPv4("")]).toEqual([null, null, null, null, null, null])
  })
})

describe("classifyAddress: IPv6", () => {
  it.each([
    ["::1", "loopback"], ["0:0:0:0:0:0:0:1", "loopback"], ["[::1]", "loopback"], ["::", "unspecified"],
    ["fe80::1", "linkLocal"], ["febf::1", "linkLocal"], ["fc00::1", "uniqueLocal"], ["fd12:3456:789a::1", "uniqueLocal"], ["fec0::1", "private"],
    ["ff02::1", "multicast"], ["2001:db8::1", "reserved"], ["2001:0:4136:e378::1", "reserved"], ["::1.2.3.4", "reserved"],
    // IPv4-mapped: the IPv4 address decides, in either spelling.
    ["::ffff:127.0.0.1", "loopback"], ["::ffff:7f00:1", "loopback"], ["::ffff:10.1.2.3", "private"], ["::ffff:169.254.169.254", "linkLocal"],
    ["::ffff:100.64.1.1", "cgnat"], ["::ffff:0.0.0.0", "unspecified"], ["::ffff:8.8.8.8", "public"], ["0:0:0:0:0:ffff:c0a8:0101", "private"],
    // NAT64 and 6to4 carry an IPv4 address too.
    ["64:ff9b::7f00:1", "loopback"], ["64:ff9b::808:808", "public"], ["2002:0a00:0001::1", "private"], ["2002:0808:0808::1", "public"],
    ["2606:4700:4700::1111", "public"], ["2400:3200::1", "public"], ["2001:4860:4860::8888", "public"],
  ] as const)("%s is %s", (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected)
  })

  it("refuses malformed text", () => {
    for (const bad of ["", "1::2::3", "12345::1", "1:2:3:4:5:6:7:8:9", ":1::", "1::2:", "fe80::1%eth0", "g::1", "::ffff:1.2.3", "localhost", "example.com"]) {
      expect([bad, classifyAddress(bad)]).toEqual([bad, "invalid"])
    }
  })

  test.prop([fc.ipV6()])("any IPv6 text fast-check writes parses to eight groups", (ip) => {
    const groups = parseIPv6(ip)
    expect(groups?.length).toBe(8)
    expect(classifyAddress(ip)).not.toBe("invalid")
  })

  test.prop([fc.ipV4()])("an IPv4 address and its IPv4-mapped IPv6 form are the same class", (ip) => {
    expect(classifyAddress(`::ffff:${ip}`)).toBe(classifyAddress(ip))
  })
})

describe("outbound rules", () => {
  const classes: ReadonlyArray<AddressClass> = ["public", "loopback", "private", "linkLocal", "cgnat", "uniqueLocal", "unspecified", "multicast", "reserved", "invalid"]
  it("production allows public only; development adds loopback and nothing else", () => {
    expect(classes.filter((c) => outboundAllowed(c, { allowLoopback: false }))).toEqual(["public"])
    expect(classes.filter((c) => outboundAllowed(c, { allowLoopback: true }))).toEqual(["public", "loopback"])
  })

  it("one private answer among public ones refuses the host (DNS rebinding)", () => {
    expect(firstRefused(["8.8.8.8", "2001:4860:4860::8888"], { allowLoopback: false })).toBeUndefined()
    expect(firstRefused(["8.8.8.8", "10.0.0.1"], { allowLoopback: true })).toEqual({ address: "10.0.0.1", class: "private" })
  })
})

describe("checkOutboundTarget", () => {
  const dns: Record<string, ReadonlyArray<string>> = {
    "hooks.example.com": ["93.184.216.34"],
    "rebind.example.com": ["93.184.216.34", "127.0.0.1"],
    "internal.example.com": ["fd00::5"],
    "local.example.com": ["127.0.0.1"],
  }
  const resolver = Layer.succeed(HostResolver, {
    lookup: (host) => host in dns ? Effect.succeed(dns[host]!) : Effect.fail(new HostUnresolved({ host })),
  })
  const run = (url: string, allowLoopback = false) =>
    Effect.runPromise(checkOutboundTarget(url).pipe(
      Effect.match({ onFailure: (e) => `${e.reason}:${e.address ?? "-"}`, onSuccess: () => "ok" }),
      Effect.provide(resolver),
      Effect.provideService(OutboundPolicy, { allowLoopback }),
    ))

  it.each([
    ["https://hooks.example.com/x", false, "ok"],
    ["https://93.184.216.34/x", false, "ok"],
    ["https://local.example.com/x", false, "loopback:127.0.0.1"],
    ["https://local.example.com/x", true, "ok"],
    ["https://rebind.example.com/x", false, "loopback:127.0.0.1"],
    ["https://internal.example.com/x", true, "uniqueLocal:fd00::5"],
    ["http://127.0.0.1:8080/x", false, "loopback:127.0.0.1"],
    ["http://2130706433/x", false, "loopback:127.0.0.1"], // the URL parser's decimal IPv4
    ["http://0x7f.1/x", false, "loopback:127.0.0.1"],
    ["http://[::1]/x", false, "loopback:::1"],
    ["http://[::ffff:192.168.0.1]/x", true, "private:::ffff:c0a8:1"],
    ["http://169.254.169.254/latest/meta-data", true, "linkLocal:169.254.169.254"],
    ["http://100.100.100.200/", true, "cgnat:100.100.100.200"],
    ["http://[fe80::1]/", true, "linkLocal:fe80::1"],
    ["http://0.0.0.0/", true, "unspecified:0.0.0.0"],
    ["https://nowhere.example.com/", false, "unresolvable:-"],
    ["not a url", false, "invalid:-"],
  ] as const)("%s (loopback allowed: %s) → %s", async (url, allowLoopback, expected) => {
    expect(await run(url, allowLoopback)).toBe(expected)
  })

  it("the default policy refuses loopback", async () => {
    const r = await Effect.runPromise(checkOutboundTarget("http://127.0.0.1/").pipe(Effect.provide(resolver), Effect.match({ onFailure: (e) => e.reason, onSuccess: () => "ok" })))
    expect(r).toBe("loopback")
    expect(hostOf("http://[::1]:80/")).toBe("::1")
  })
})
