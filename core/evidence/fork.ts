import { Effect, Result } from "effect"
import { Crypto } from "../ports/Crypto.ts"
import { verifyConsistency } from "./merkle.ts"
import { parseCheckpoint, verifyNote, type VerifierKey } from "./note.ts"

export type ForkVerdict =
  | { readonly verdict: "consistent"; readonly oldSize: number; readonly newSize: number }
  | { readonly verdict: "fork"; readonly reason: string }
  | { readonly verdict: "invalid"; readonly reason: string }

/**
 * Decides from two signed checkpoints of the same log (and, when their sizes
 * differ, the log's consistency proof between them) whether the log forked:
 * two different roots for one size, or a later tree that does not extend the
 * earlier one. A checkpoint not signed by the trusted key proves nothing and
 * is "invalid", not a fork.
 */
export const compareCheckpoints = Effect.fn("evidence.compareCheckpoints")(function*(
  a: string,
  b: string,
  consistency: ReadonlyArray<Uint8Array>,
  trusted: ReadonlyArray<VerifierKey>,
) {
  const { sha256 } = yield* Crypto
  const parsed = []
  for (const note of [a, b]) {
    const verified = yield* verifyNote(note, trusted)
    if (Result.isFailure(verified)) return { verdict: "invalid", reason: verified.failure } satisfies ForkVerdict
    const cp = parseCheckpoint(verified.success.text)
    if (Result.isFailure(cp)) return { verdict: "invalid", reason: cp.failure } satisfies ForkVerdict
    parsed.push(cp.success)
  }
  const [older, newer] = parsed[0]!.size <= parsed[1]!.size ? [parsed[0]!, parsed[1]!] : [parsed[1]!, parsed[0]!]
  if (older.origin !== newer.origin) return { verdict: "invalid", reason: "checkpoints of different logs" } satisfies ForkVerdict
  if (!verifyConsistency(sha256, older.size, newer.size, older.root, newer.root, consistency)) {
    return {
      verdict: "fork",
      reason: older.size === newer.size
        ? `two different roots signed for size ${older.size}`
        : `the tree of size ${newer.size} does not extend the tree of size ${older.size}`,
    } satisfies ForkVerdict
  }
  return { verdict: "consistent", oldSize: older.size, newSize: newer.size } satisfies ForkVerdict
})
