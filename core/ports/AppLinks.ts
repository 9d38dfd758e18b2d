import { Context } from "effect"

/** Absolute links the platform texts to people (the portal's public address comes from config). */
export class AppLinks extends Context.Service<AppLinks, {
  readonly contract: (contractId: string) => string
}>()("core/ports/AppLinks") {}
