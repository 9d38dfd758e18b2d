import { lookup as dnsLookup, type LookupAddress } from "node:dns"
import { request as httpRequest } from "node:http"
import { request as httpsRequest } from "node:https"
import type { LookupFunction } from "node:net"
import { Effect, Layer } from "effect"
import { WebhookTransportError } from "../../core/api/ApiErrors.ts"
import { WebhookTransport } from "../../core/ports/WebhookTransport.ts"
import { classifyAddress, firstRefused, isIpLiteral, outboundAllowed, type OutboundRules } from "../../core/net/address.ts"
import { HostResolver, HostUnresolved } from "../../core/ports/HostResolver.ts"
import { hostOf, OutboundPolicy } from "../../core/net/outbound.ts"

/** Every address of a host name from the system resolver (what a connection would use). */
const lookupAll = (host: string) =>
  new Promise<ReadonlyArray<LookupAddress>>((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (e, addresses) => e ? reject(e) : resolve(addresses)))

/** The system resolver as core's HostResolver port (A and AAAA, as getaddrinfo answers). */
export const layerDnsResolver = Layer.succeed(HostResolver, {
  lookup: (host) =>
    Effect.tryPromise({ try: () => lookupAll(host), catch: () => new HostUnresolved({ host }) }).pipe(
      Effect.map((as) => as.map((a) => a.address)),
    ),
})

class Refused extends Error {
  override readonly name = "AddressRefused"
}

/**
 * A `lookup` for net.connect that resolves the host, refuses it if ANY of its
 * addresses is not allowed, and hands the socket exactly the addresses it
 * checked: a resolver that answers differently the second time (DNS
 * rebinding) never gets a second question.
 */
export const guardedLookup = (rules: OutboundRules): LookupFunction => (hostname, options, callback) => {
  lookupAll(hostname).then((addresses) => {
    const refused = firstRefused(addresses.map((a) => a.address), rules)
    if (refused !== undefined) throw new Refused(`${hostname} resolves to ${refused.address} (${refused.class})`)
    if (addresses.length === 0) throw new Refused(`${hostname} has no address`)
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses
    if (options.all === true) (callback as unknown as (e: null, as: ReadonlyArray<LookupAddress>) => void)(null, wanted)
    else callback(null, wanted[0]?.address ?? "", wanted[0]?.family ?? 4)
  }).catch((e: Error) => callback(Object.assign(e, { code: e instanceof Refused ? "EADDRREFUSED" : (e as NodeJS.ErrnoException).code }), "", 4))
}

/**
 * Webhooks over HTTP(S): no redirects followed (a receiver that moved must be
 * registered again), a 10 s limit per attempt, the answer's body discarded.
 * The receiver's address is checked at every connection (core/net): an IP
 * literal directly, a host name through `guardedLookup`. A refused address
 * fails with `refused: true` (the delivery is given up, not retried).
 */
export const layerWebhookHttp = (options: { readonly timeoutMs?: number | undefined } = {}) =>
  Layer.effect(WebhookTransport, Effect.gen(function*() {
    const timeoutMs = options.timeoutMs ?? 10_000
    const rules = yield* OutboundPolicy
    return {
      post: (url, headers, body) => {
        const host = hostOf(url)
        const literal = host !== null && isIpLiteral(host) ? classifyAddress(host) : null
        if (host === null || (literal !== null && !outboundAllowed(literal, rules))) {
          return Effect.fail(new WebhookTransportError({ reason: `AddressRefused: ${host ?? url} (${literal ?? "invalid"})`, refused: true }))
        }
        return Effect.callback<{ readonly status: number }, WebhookTransportError>((resume, signal) => {
          const target = new URL(url)
          const send = target.protocol === "https:" ? httpsRequest : httpRequest
          const req = send(target, {
            method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, lookup: guardedLookup(rules),
            signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
          }, (res) => {
            res.resume()
            resume(Effect.succeed({ status: res.statusCode ?? 0 }))
          })
          req.on("error", (e: NodeJS.ErrnoException) =>
            resume(Effect.fail(new WebhookTransportError({ reason: `${e.name}: ${e.message}`, ...(e.code === "EADDRREFUSED" ? { refused: true } : {}) }))))
          req.end(body)
        })
      },
    }
  }))
