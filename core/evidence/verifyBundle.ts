/**
 * The offline verifier: every check a third party can make on a bundle with
 * no access to our database. Each check reports pass, fail (naming the event
 * at fault) or skip (the input it needs was not given).
 */
import { Effect, Result, Schema } from "effect"
import { Base64, Hex } from "effect/encoding"
import type * as pkijs from "pkijs"
import { sha256 as merkleSha256 } from "../crypto/sha256.ts"
import { sm3 } from "../crypto/sm3.ts"
import { Crypto } from "../ports/Crypto.ts"
import { WebCrypto } from "../ports/WebCrypto.ts"
import { checkTimestamp } from "../signing/verify/timestampCheck.ts"
import { Bundle } from "./Bundle.ts"
import { isCanonical } from "./canonicalJson.ts"
import { AFTER_TERMINAL, EVENT_TYPES, EVENT_VERSIONS, EventBody, kindOf, OPENING_EVENT, TERMINAL_EVENTS } from "./Event.ts"
import { compareCheckpoints } from "./fork.ts"
import { leafHash, verifyInclusion } from "./merkle.ts"
import { parseCheckpoint, parseHistoryStatement, parseNote, parseVerifierKey, verifyNote, type Checkpoint } from "./note.ts"
import { commitmentOf } from "./recordEvent.ts"
import { parseWitnessKey, verifyCosignature } from "./witness.ts"

export type CheckStatus = "pass" | "fail" | "skip"
export interface Check {
  readonly name: string
  readonly status: CheckStatus
  readonly detail: string
}

export interface VerifyOptions {
  /** The log's verifier key as the verifier knows it; without it the bundle's own copy is used (and reported). */
  readonly logKey?: string | undefined
  /** The document file; its SHA-256 (and SM3, for version-2 events) must be the bundle's document digests. */
  readonly document?: Uint8Array | undefined
  /** Roots the TSA certificate must chain to; without them the chain is not judged. */
  readonly tsaTrust?: ReadonlyArray<pkijs.Certificate> | undefined
  /** A checkpoint seen earlier and the log's consistency proof from it to the bundle's checkpoint. */
  readonly previous?: { readonly note: string; readonly consistency: ReadonlyArray<Uint8Array> } | undefined
  /** Witnesses' verifier keys as the verifier knows them; without them the bundle's own copies are used (and reported). */
  readonly witnessKeys?: ReadonlyArray<string> | undefined
}

const utf8 = (s: string) => new TextEncoder().encode(s)
const TIMESTAMP_SLACK_MS = 1_000

/** True when every check passed or was skipped. */
export const allPassed = (checks: ReadonlyArray<Check>) => checks.every((c) => c.status !== "fail")

export const verifyBundle = Effect.fn("evidence.verifyBundle")(function*(input: unknown, options: VerifyOptions = {}) {
  const { sha256, hmacSha256 } = yield* Crypto
  const checks: Array<Check> = []
  const add = (name: string, failures: ReadonlyArray<string>, okDetail: string) =>
    checks.push(failures.length === 0 ? { name, status: "pass", detail: okDetail } : { name, status: "fail", detail: failures.join("; ") })
  const skip = (name: string, detail: string) => checks.push({ name, status: "skip", detail })

  const decoded = Schema.decodeUnknownResult(Bundle)(input)
  if (Result.isFailure(decoded)) {
    add("bundle format", [`not a ${"signet-evidence-bundle/1"} file: ${String(decoded.failure).split("\n")[0]}`], "")
    return checks
  }
  const bundle = decoded.success
  add("bundle format", [], `${bundle.events.length} events of ${bundle.subject}`)

  // Log key and checkpoint signature.
  const key = parseVerifierKey(sha256, options.logKey ?? bundle.logKey)
  if (Result.isFailure(key)) add("log key", [key.failure], "")
  else if (options.logKey === undefined) skip("log key", `not pinned (--log-key): using the bundle's own ${bundle.logKey}`)
  else add("log key", options.logKey.trim() === bundle.logKey ? [] : ["the bundle names another log key than the one given"], key.success.name)
  let checkpoint: Checkpoint | undefined
  if (Result.isSuccess(key)) {
    const verified = yield* verifyNote(bundle.checkpoint.note, [key.success])
    add("checkpoint signature", Result.isFailure(verified) ? [verified.failure] : [], `signed by ${key.success.name}`)
    if (Result.isSuccess(verified)) {
      const cp = parseCheckpoint(verified.success.text)
      if (Result.isSuccess(cp)) checkpoint = cp.success
      add("checkpoint format", Result.isFailure(cp) ? [cp.failure] : cp.success.origin === key.success.name ? [] : ["origin is not the key's name"],
        checkpoint === undefined ? "" : `tree size ${checkpoint.size}, root ${Hex.encode(checkpoint.root)}`)
    }
  }

  // Events: encoding, subject, chain, order.
  const bodies = bundle.events.map((e) => {
    const parsed = Result.try(() => JSON.parse(e.body) as unknown)
    return Result.isFailure(parsed) ? undefined : Result.getOrUndefined(Schema.decodeUnknownResult(EventBody)(parsed.success))
  })
  const label = (i: number) => `event ${i + 1} (log index ${bundle.events[i]!.index})`
  add("event encodings", bundle.events.flatMap((e, i) =>
    bodies[i] === undefined ? [`${label(i)} is not an event of version ${EVENT_VERSIONS.join(" or ")}`] : isCanonical(e.body) ? [] : [`${label(i)} is not canonical JSON`]
  ), `canonical RFC 8785 JSON, versions ${[...new Set(bodies.flatMap((b) => (b === undefined ? [] : [b.v])))].join(", ")}`)
  add("subject", bodies.flatMap((b, i) =>
    b === undefined ? [] : b.subject !== bundle.subject ? [`${label(i)} belongs to ${b.subject}`]
    : EVENT_TYPES[b.type] !== kindOf(b.subject) ? [`${label(i)} ${b.type} cannot happen to a ${kindOf(b.subject)}`] : []
  ), bundle.subject)
  const chain: Array<string> = []
  bodies.forEach((b, i) => {
    if (b === undefined) return
    if (b.seq !== i) chain.push(`${label(i)} has chain position ${b.seq}, expected ${i} (an event is missing or out of order)`)
    const prev = i === 0 ? null : Hex.encode(sha256(utf8(bundle.events[i - 1]!.body)))
    if (b.prev !== prev) chain.push(`${label(i)} does not link to the event before it`)
  })
  add("chain continuity", chain, `${bodies.length} events, each linked to the previous one's SHA-256`)
  const order: Array<string> = []
  const opening = OPENING_EVENT[kindOf(bundle.subject)]
  let closedBy: string | undefined
  bodies.forEach((b, i) => {
    if (b === undefined) return
    if (opening !== undefined && (i === 0) !== (b.type === opening)) order.push(`${label(i)} ${b.type}: the history must open with ${opening}, once`)
    if (closedBy !== undefined && !AFTER_TERMINAL.includes(b.type)) order.push(`${label(i)} ${b.type} after ${closedBy}`)
    if (TERMINAL_EVENTS.includes(b.type)) closedBy ??= b.type
    const before = bodies[i - 1]
    if (before !== undefined && b.at < before.at) order.push(`${label(i)} is dated before the event it follows`)
  })
  add("legal order of events", order, "opening event first, nothing after a closing event but reading, times non-decreasing")

  // Inclusion in the checkpoint's tree.
  if (checkpoint === undefined) skip("inclusion proofs", "no verified checkpoint to prove against")
  else {
    const cp = checkpoint
    add("inclusion proofs", bundle.events.flatMap((e, i) => {
      const proof = e.proof.map((h) => Result.getOrThrow(Hex.decode(h)))
      return verifyInclusion(merkleSha256, e.index, cp.size, leafHash(merkleSha256, utf8(e.body)), proof, cp.root) ? [] : [`${label(i)} is not in the signed tree`]
    }), `every event is in the tree of size ${cp.size}`)
  }

  // The log's signed statement of the history's length: nothing cut off the end.
  if (bundle.statement === undefined) skip("history complete", "the bundle carries no signed statement of its length (exported before statements existed)")
  else if (Result.isFailure(key)) skip("history complete", "no log key to check the statement with")
  else {
    const signed = yield* verifyNote(bundle.statement, [key.success])
    const st = Result.isFailure(signed) ? Result.fail(signed.failure) : parseHistoryStatement(signed.success.text)
    const last = bundle.events[bundle.events.length - 1]
    add("history complete", Result.isFailure(st) ? [`statement: ${st.failure}`] : [
      ...(st.success.subject === bundle.subject ? [] : [`the statement is about ${st.success.subject}`]),
      ...(st.success.count === bundle.events.length ? [] : [`the log signed a history of ${st.success.count} events; the bundle holds ${bundle.events.length}`]),
      ...(last !== undefined && st.success.lastHash === Hex.encode(sha256(utf8(last.body))) ? [] : ["the last event is not the one the log signed"]),
      ...(checkpoint === undefined || st.success.checkpointSize === checkpoint.size ? [] : [`the statement names the tree of size ${st.success.checkpointSize}`]),
    ], `the log signed a history of ${bundle.events.length} events ending with this last one`)
  }

  // Openings of commitments.
  const openings = bundle.events.flatMap((e, i) => e.openings.map((o) => ({ o, i })))
  if (openings.length === 0) skip("commitments opened", "the bundle holds no openings (personal data withheld or erased)")
  else {
    add("commitments opened", openings.flatMap(({ o, i }) => {
      const c = commitmentOf(hmacSha256, o)
      return Result.isSuccess(c) && bodies[i]?.commit[o.field] === c.success ? [] : [`${label(i)}: the ${o.field} opening does not match its commitment`]
    }), `${openings.length} openings match their commitments`)
  }

  // Timestamp of the checkpoint.
  if (bundle.checkpoint.timestamp === null) add("timestamp token", ["the checkpoint has no RFC 3161 timestamp"], "")
  else {
    const token = Base64.decode(bundle.checkpoint.timestamp)
    if (Result.isFailure(token)) add("timestamp token", ["the timestamp is not base64"], "")
    else {
      const trust = options.tsaTrust ?? []
      const ts = yield* checkTimestamp((yield* WebCrypto).crypto, (yield* Crypto).digest, token.success, utf8(bundle.checkpoint.note), trust)
      const own = ts.problems.filter((p) => !p.startsWith("TSA chain"))
      const late = ts.time === undefined ? [] : bodies.flatMap((b, i) =>
        b !== undefined && b.at > ts.time!.getTime() + TIMESTAMP_SLACK_MS ? [`${label(i)} is dated after the timestamp`] : []
      )
      add("timestamp token", [...own, ...late], `checkpoint existed at ${ts.time?.toISOString()} (${ts.tsa ?? "unknown TSA"})`)
      if (trust.length === 0) skip("timestamp authority", "no trusted TSA root given (--tsa-trust): the TSA's certificate chain was not judged")
      else add("timestamp authority", ts.problems.filter((p) => p.startsWith("TSA chain")), "the TSA certificate chains to a trusted root")
    }
  }

  // Document: SHA-256, and SM3 where the events name it (version 2).
  if (options.document === undefined) {
    if (bundle.document === undefined) skip("document hash", "no document in this history")
    else skip("document hash", `no file given to compare with ${bundle.document.sha256}`)
    if (bundle.document?.sm3 !== undefined) skip("document SM3", `no file given to compare with ${bundle.document.sm3}`)
  } else {
    const digest = Hex.encode(sha256(options.document))
    add("document hash", bundle.document === undefined
      ? ["the bundle names no document"]
      : digest !== bundle.document.sha256
      ? [`the file's SHA-256 ${digest} is not the document's ${bundle.document.sha256}`]
      : bodies.some((b) => b?.doc?.sha256 === digest) ? [] : ["no event records this document"], digest)
    const naming = bodies.flatMap((b, i) => (b?.doc?.sha256 === bundle.document?.sha256 && b?.doc?.sm3 !== undefined ? [{ i, sm3: b.doc.sm3 }] : []))
    if (bundle.document?.sm3 === undefined && naming.length === 0) skip("document SM3", "the events name the document by SHA-256 only (version 1)")
    else {
      const own = Hex.encode(sm3(options.document))
      add("document SM3", [
        ...(bundle.document?.sm3 === own ? [] : [`the file's SM3 ${own} is not the document's ${bundle.document?.sm3 ?? "(none given)"}`]),
        ...naming.filter((n) => n.sm3 !== own).map((n) => `${label(n.i)} names the document with another SM3`),
      ], own)
    }
  }

  // Witnesses' cosignatures of the checkpoint.
  const lines = bundle.checkpoint.cosignatures ?? []
  if (lines.length === 0) skip("witness cosignatures", "no witness cosigned this checkpoint")
  else {
    const pinned = options.witnessKeys !== undefined
    const keys = (options.witnessKeys ?? bundle.witnesses ?? []).map(parseWitnessKey)
    const text = Result.map(parseNote(bundle.checkpoint.note), (n) => n.text)
    const problems: Array<string> = keys.flatMap((k) => (Result.isFailure(k) ? [k.failure] : []))
    const verifiedBy: Array<string> = []
    for (const key of keys) {
      if (Result.isFailure(key)) continue
      const line = lines.find((l) => l.startsWith(`\u2014 ${key.success.name} `))
      if (line === undefined) {
        if (pinned) problems.push(`no cosignature by ${key.success.name}`)
        continue
      }
      const ok = Result.isFailure(text) ? Result.fail(text.failure) : yield* verifyCosignature(key.success, text.success, line)
      if (Result.isFailure(ok)) problems.push(ok.failure)
      else verifiedBy.push(`${key.success.name} at ${new Date(ok.success.timestamp * 1000).toISOString()}`)
    }
    if (problems.length === 0 && verifiedBy.length === 0) skip("witness cosignatures", `${lines.length} cosignatures by witnesses whose keys are not known`)
    else add("witness cosignatures", problems, `${pinned ? "" : "keys from the bundle (pin with --witness-key): "}cosigned by ${verifiedBy.join(", ")}`)
  }

  // Consistency with a checkpoint seen before.
  if (options.previous === undefined || Result.isFailure(key)) skip("consistency with previous checkpoint", "no earlier checkpoint given")
  else {
    const verdict = yield* compareCheckpoints(options.previous.note, bundle.checkpoint.note, options.previous.consistency, [key.success])
    add("consistency with previous checkpoint", verdict.verdict === "consistent" ? [] : [`${verdict.verdict}: ${verdict.reason}`],
      verdict.verdict === "consistent" ? `tree ${verdict.oldSize} extends to ${verdict.newSize}` : "")
  }
  return checks
})
