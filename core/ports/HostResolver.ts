import { Context, type Effect, Schema } from "effect"

/** The host name has no address (NXDOMAIN, no records, resolver down). */
export class HostUnresolved extends Schema.TaggedError<HostUnresolved>()("HostUnresolved", {
  host: Schema.String,
}) {}

/** Every address a host name resolves to (A and AAAA), as the system resolver answers. */
export class HostResolver extends Context.Service<HostResolver, {
  readonly lookup: (host: string) => Effect.Effect<ReadonlyArray<string>, HostUnresolved>
}>()("core/net/HostResolver") {}
