import { Context } from "effect"
import type { WitnessKey } from "../evidence/witness.ts"

/** The witnesses this log accepts cosignatures from (configuration: SIGNET_WITNESSES). */
export class Witnesses extends Context.Service<Witnesses, { readonly keys: ReadonlyArray<WitnessKey> }>()("core/evidence/Witnesses") {}
