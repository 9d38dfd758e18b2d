import { Context, Effect, Schema } from "effect"
import { classifyAddress, firstRefused, isIpLiteral, type OutboundRules } from "./address.ts"
import { HostResolver } from "../ports/HostResolver.ts"

/**
 * The rules for connections the platform makes on a customer's behalf
 * (webhooks). Secure by default: only the dev profile's configuration
 * allows loopback.
 */
export const OutboundPolicy = Context.Reference<OutboundRules>("core/net/OutboundPolicy", { defaultValue: () => ({ allowLoopback: false }) })

/** A URL the platform will not connect to: its host is (or resolves to) a non-public address, or does not resolve. */
export class OutboundTargetRefused extends Schema.TaggedError<OutboundTargetRefused>()("OutboundTargetRefused", {
  host: Schema.String,
  /** The refused address; null when the host did not resolve or the URL has no host. */
  address: Schema.NullOr(Schema.String),
  /** An AddressClass, or "unresolvable". */
  reason: Schema.String,
}) {}

/** The URL's host as a resolver or classifier wants it (IPv6 without brackets), or null. */
export const hostOf = (url: string): string | null => {
  if (!URL.canParse(url)) return null
  const host = new URL(url).hostname
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host
}

/**
 * Refuses a URL whose host is a non-public IP literal, or a name any of whose
 * addresses is non-public (one private answer is enough: DNS rebinding flips
 * between them). Run at registration; the transport checks again at every
 * connection, on the addresses it actually connects to.
 */
export const checkOutboundTarget = Effect.fn("net.checkOutboundTarget")(function*(url: string) {
  const rules = yield* OutboundPolicy
  const host = hostOf(url)
  if (host === null || host === "") return yield* new OutboundTargetRefused({ host: "", address: null, reason: "invalid" })
  const addresses = isIpLiteral(host)
    ? [host]
    : yield* (yield* HostResolver).lookup(host).pipe(
      Effect.catchTag("HostUnresolved", () => Effect.fail(new OutboundTargetRefused({ host, address: null, reason: "unresolvable" }))),
    )
  if (addresses.length === 0) return yield* new OutboundTargetRefused({ host, address: null, reason: "unresolvable" })
  const refused = firstRefused(addresses, rules)
  if (refused !== undefined) return yield* new OutboundTargetRefused({ host, address: refused.address, reason: refused.class })
  return addresses.map((a) => ({ address: a, class: classifyAddress(a) }))
})
