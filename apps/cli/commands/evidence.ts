/**
 * `signet evidence export (--subject KIND:ID | --contract NUMBER) --out PATH [--no-openings]`: the bundle of a user's or contract's history.
 * `signet evidence verify BUNDLE [--pdf FILE] [--log-key KEY|FILE] [--tsa-trust ROOT.pem] [--previous NOTE --consistency HEX,...]`:
 *   offline, no database; prints every check; exit 0 only if none fails.
 * `signet evidence report --contract NUMBER --out FILE`: the contract's evidence report (出证报告) PDF; its code opens the public verify page.
 * `signet evidence publish`: sequence queued events and issue a checkpoint. `signet evidence key`: the log's verifier key.
 * `signet evidence consistency --from SIZE [--to SIZE]`: the consistency proof `verify --previous` needs.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { parseArgs } from "node:util"
import { Effect, Exit, Layer, ManagedRuntime, Option, Result, Schema } from "effect"
import { Hex } from "effect/encoding"
import * as pkijs from "pkijs"
import { layer as layerCrypto } from "../../../adapters/crypto-node/index.ts"
import { pemBlocks, webCryptoLayer } from "../../../adapters/keys-software/index.ts"
import { layerUnitOfWork } from "../../../adapters/sql/unitOfWork.ts"
import { getCheckpoint, logVerifierKey, publish } from "../../../core/evidence/checkpoint.ts"
import { consistencyProof } from "../../../core/evidence/tree.ts"
import { Subject } from "../../../core/evidence/Event.ts"
import { exportBundle } from "../../../core/evidence/exportBundle.ts"
import { allPassed, verifyBundle, type Check } from "../../../core/evidence/verifyBundle.ts"
import { ConfigError, loadConfig } from "../../platform/config.ts"
import { issueContractReport } from "../../../core/contracts/contractReport.ts"
import { NotFound } from "../../../core/kernel/errors.ts"
import { NumericId } from "../../../core/kernel/Ids.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"
import { cliConfig, cliRuntime } from "../appRuntime.ts"
import { layerEvidence } from "../../platform/evidence.ts"
import { layerDatabase } from "../../platform/layers.ts"
import { resolveSecrets } from "../../platform/secrets.ts"

const usage = `usage:
  signet evidence export (--subject KIND:ID | --contract NUMBER) --out PATH [--no-openings]
  signet evidence verify BUNDLE [--pdf FILE] [--log-key KEY|FILE] [--witness-key KEY ...] [--tsa-trust ROOT.pem] [--previous NOTE --consistency HEX,HEX...]
  signet evidence report --contract NUMBER --out FILE
  signet evidence publish
  signet evidence consistency --from SIZE [--to SIZE]
  signet evidence key`

/** The configured database and the log's key and TSA (as the apps have them). */
const openLog = () => {
  const config = loadConfig(process.env)
  const evidence = layerEvidence(config, resolveSecrets(config))
  const layer = Layer.mergeAll(evidence, layerUnitOfWork).pipe(Layer.provideMerge(layerDatabase(config)), Layer.provideMerge(layerCrypto))
  return ManagedRuntime.make(layer.pipe(Layer.orDie))
}

const withLog = async (body: (runtime: ReturnType<typeof openLog>) => Promise<number>): Promise<number> => {
  let runtime
  try {
    runtime = openLog()
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : String(e))
    return 2
  }
  try {
    return await body(runtime)
  } finally {
    await runtime.dispose()
  }
}

const exportCommand = (args: ReadonlyArray<string>) => {
  const { values: v } = parseArgs({
    args: [...args], options: { subject: { type: "string" }, contract: { type: "string" }, out: { type: "string" }, "no-openings": { type: "boolean" } },
  })
  if (v.contract !== undefined) v.subject ??= `contract:${v.contract}`
  if (v.subject === undefined || v.out === undefined) {
    console.error(`signet evidence export: --subject (or --contract) and --out are required\n\n${usage}`)
    return Promise.resolve(2)
  }
  if (Result.isFailure(Schema.decodeUnknownResult(Subject)(v.subject))) {
    console.error("signet evidence export: --subject must be KIND:ID, e.g. user:1248849947504173056")
    return Promise.resolve(2)
  }
  const subject = v.subject
  const out = v.out
  return withLog(async (runtime) => {
    const exit = await runtime.runPromiseExit(exportBundle(subject, { withOpenings: v["no-openings"] !== true }))
    if (Exit.isFailure(exit)) {
      const reason = exit.cause.reasons[0]
      const tag = reason?._tag === "Fail" ? reason.error._tag : "defect"
      console.error(tag === "NotFound" ? `signet evidence export: no events for ${subject}` : `signet evidence export: failed (${tag})`)
      return 1
    }
    writeFileSync(out, `${JSON.stringify(exit.value, null, 2)}\n`)
    console.log(`${out}: ${exit.value.events.length} events of ${subject}, checkpoint of size ${exit.value.events.length > 0 ? exit.value.checkpoint.note.split("\n")[1] : 0}`)
    console.log(`log key: ${exit.value.logKey}`)
    return 0
  })
}

const mark = { pass: "PASS", fail: "FAIL", skip: "SKIP" } as const
const printChecks = (checks: ReadonlyArray<Check>) => {
  for (const c of checks) console.log(`${mark[c.status]}  ${c.name}${c.detail ? ` — ${c.detail}` : ""}`)
  const failed = checks.filter((c) => c.status === "fail").length
  const skipped = checks.filter((c) => c.status === "skip").length
  console.log(failed === 0 ? `result: valid (${checks.length - skipped} checks passed, ${skipped} skipped)` : `result: INVALID (${failed} of ${checks.length} checks failed)`)
}

const textOrFile = (value: string) => (existsSync(value) ? readFileSync(value, "utf8").trim() : value)

/** Offline: reads files only; no configuration, no database. */
const verifyCommand = async (args: ReadonlyArray<string>): Promise<number> => {
  const { values: v, positionals } = parseArgs({
    args: [...args], allowPositionals: true,
    options: {
      pdf: { type: "string" }, "log-key": { type: "string" }, "witness-key": { type: "string", multiple: true },
      "tsa-trust": { type: "string", multiple: true }, previous: { type: "string" }, consistency: { type: "string" },
    },
  })
  const file = positionals[0]
  if (file === undefined) {
    console.error(`signet evidence verify: which bundle?\n\n${usage}`)
    return 2
  }
  let bundle: unknown
  try {
    bundle = JSON.parse(readFileSync(file, "utf8"))
  } catch (e) {
    console.error(`signet evidence verify: ${file} is not a JSON file (${e instanceof Error ? e.message : String(e)})`)
    return 1
  }
  const consistency = (v.consistency ?? "").split(",").filter((h) => h.length > 0).map((h) => Hex.decode(h.trim()))
  if (consistency.some(Result.isFailure) || (v.consistency !== undefined && v.previous === undefined)) {
    console.error("signet evidence verify: --consistency wants comma-separated hex hashes, with --previous")
    return 2
  }
  const trust = (v["tsa-trust"] ?? []).map((p) => ({ p, ders: pemBlocks(readFileSync(p, "utf8"), "CERTIFICATE") }))
  const empty = trust.find((t) => t.ders.length === 0)
  if (empty !== undefined) {
    console.error(`signet evidence verify: --tsa-trust ${empty.p} holds no PEM certificate`)
    return 2
  }
  const checks = await Effect.runPromise(verifyBundle(bundle, {
    logKey: v["log-key"] === undefined ? undefined : textOrFile(v["log-key"]),
    witnessKeys: v["witness-key"]?.map(textOrFile),
    document: v.pdf === undefined ? undefined : new Uint8Array(readFileSync(v.pdf)),
    tsaTrust: trust.flatMap((t) => t.ders).map((der) => pkijs.Certificate.fromBER(new Uint8Array(der))),
    previous: v.previous === undefined ? undefined : { note: `${readFileSync(v.previous, "utf8").trimEnd()}\n`, consistency: consistency.map((r) => Result.getOrThrow(r)) },
  }).pipe(Effect.provide(Layer.mergeAll(layerCrypto, webCryptoLayer))))
  printChecks(checks)
  return allPassed(checks) ? 0 : 1
}

/** Issues a contract's evidence report from the configured database (as the operator: no party check). */
const reportCommand = async (args: ReadonlyArray<string>): Promise<number> => {
  const { values: v } = parseArgs({ args: [...args], options: { contract: { type: "string" }, out: { type: "string" } } })
  const id = Schema.decodeUnknownOption(NumericId)(v.contract)
  if (id._tag === "None" || v.out === undefined) {
    console.error(`signet evidence report: --contract NUMBER (19 digits) and --out FILE are required\n\n${usage}`)
    return 2
  }
  const config = cliConfig()
  if (config === null) return 2
  const runtime = cliRuntime(config, "evidence-report")
  try {
    const exit = await runtime.runPromiseExit(Effect.gen(function*() {
      const contract = yield* (yield* ContractRepository).find(id.value)
      if (Option.isNone(contract)) return yield* new NotFound({ entity: "contract", id: id.value })
      return yield* issueContractReport(contract.value, { role: "system" })
    }))
    if (Exit.isFailure(exit)) {
      const reason = exit.cause.reasons[0]
      const tag = reason?._tag === "Fail" ? reason.error._tag : "defect"
      console.error(tag === "NotFound" ? `signet evidence report: no contract ${id.value} (or no evidence for it)` : `signet evidence report: failed (${tag})`)
      return 1
    }
    writeFileSync(v.out, exit.value.pdf)
    console.log(`${v.out}: evidence report of contract ${id.value}, ${exit.value.bundle.events.length} events`)
    console.log(`verification code: ${exit.value.code} (${config.publicUrl}/evidence/report/${exit.value.code})`)
    return 0
  } finally {
    await runtime.dispose()
  }
}

/** Prints the log's consistency proof between two sizes, as `verify --consistency` takes it. */
const consistencyCommand = (args: ReadonlyArray<string>) => {
  const { values: v } = parseArgs({ args: [...args], options: { from: { type: "string" }, to: { type: "string" } } })
  const from = Number(v.from)
  if (v.from === undefined || !Number.isSafeInteger(from) || from < 0 || (v.to !== undefined && !/^\d+$/.test(v.to))) {
    console.error(`signet evidence consistency: --from SIZE is required (and --to SIZE, default the latest checkpoint)\n\n${usage}`)
    return Promise.resolve(2)
  }
  return withLog(async (runtime) => {
    const exit = await runtime.runPromiseExit(Effect.gen(function*() {
      const to = v.to === undefined ? (yield* getCheckpoint()).size : Number(v.to)
      return yield* consistencyProof(from, to)
    }))
    if (Exit.isFailure(exit)) {
      console.error("signet evidence consistency: no such sizes in the log")
      return 1
    }
    console.log(exit.value.map((h) => Hex.encode(h)).join(","))
    return 0
  })
}

export default async function run(args: ReadonlyArray<string>): Promise<number> {
  const [sub, ...rest] = args
  switch (sub) {
    case "export":
      return exportCommand(rest)
    case "verify":
      return verifyCommand(rest)
    case "report":
      return reportCommand(rest)
    case "publish":
      return withLog(async (runtime) => {
        const r = await runtime.runPromise(publish())
        console.log(`${r.sequenced} events sequenced; checkpoint of size ${r.checkpoint.size}${r.issued ? " issued" : " (unchanged)"}`)
        if (r.timestampError !== null) console.error(`timestamp failed: ${r.timestampError}`)
        if (r.anchor !== null) console.log(`anchor: ${r.anchor}`)
        process.stdout.write(r.checkpoint.note)
        return 0
      })
    case "consistency":
      return consistencyCommand(rest)
    case "key":
      return withLog(async (runtime) => {
        console.log(await runtime.runPromise(logVerifierKey))
        return 0
      })
    default:
      console.error(usage)
      return 2
  }
}
