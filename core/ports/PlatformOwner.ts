import { Context } from "effect"

/** The open platform's owner, by credit code (null: no partner platform on this deployment). */
export class PlatformOwner extends Context.Service<PlatformOwner, { readonly creditCode: string | null }>()("core/contracts/PlatformOwner") {}
