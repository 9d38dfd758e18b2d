/**
 * Checked by `tsc --noEmit -p .`, never run: an embedder cannot compile a
 * contract flow that loses its evidence (issue 19). The contract acts require
 * an EvidenceRecorder in their types; providing the services without
 * `layerEmbeddedEvidence` leaves it unsatisfied, and a runtime that wants no
 * evidence must say so by name (`EvidenceRecorder.none`).
 */
import { Effect, Layer } from "effect"
import { EvidenceRecorder } from "../core/evidence/EvidenceRecorder.ts"
import { embedDemo, layerEmbedded, layerEmbeddedServices } from "./embed-core.ts"

declare const dir: string
declare const key: Uint8Array

/** The example's runtime leaves nothing required. */
export const complete: Effect.Effect<unknown, unknown, never> = embedDemo.pipe(Effect.provide(layerEmbedded(dir, key, key)))

/** The same services with the evidence layer removed: EvidenceRecorder is still required, so this is a type error. */
// @ts-expect-error EvidenceRecorder is missing: the contract acts cannot run without recording their evidence
export const withoutEvidence: Effect.Effect<unknown, unknown, never> = embedDemo.pipe(Effect.provide(layerEmbeddedServices(dir, key, key)))

/** Recording nothing compiles only when asked for by name. */
export const explicitlyNone: Effect.Effect<unknown, unknown, never> = embedDemo.pipe(Effect.provide(Layer.merge(EvidenceRecorder.none, layerEmbeddedServices(dir, key, key))))

/** And the recorder is exactly what is left to provide: nothing else was missing. */
const leftOver = embedDemo.pipe(Effect.provide(layerEmbeddedServices(dir, key, key)))
type Requires<T> = T extends Effect.Effect<unknown, unknown, infer R> ? R : never
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
export const onlyTheRecorder: Same<Requires<typeof leftOver>, EvidenceRecorder> = true
