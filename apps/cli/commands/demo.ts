import { copyFileSync, mkdirSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { Clock, Effect, Option, Schema } from "effect"
import { User } from "../../../core/accounts/User.ts"
import { SignField } from "../../../core/contracts/Contract.ts"
import { createContract, sendContract } from "../../../core/contracts/createContract.ts"
import { requestSigningCode, signContract } from "../../../core/contracts/signContract.ts"
import type { UserId } from "../../../core/kernel/Ids.ts"
import { Mobile } from "../../../core/kernel/Mobile.ts"
import { BlobStore } from "../../../core/ports/BlobStore.ts"
import { IdGenerator } from "../../../core/ports/IdGenerator.ts"
import { PasswordHasher } from "../../../core/ports/PasswordHasher.ts"
import { UserRepository } from "../../../core/ports/UserRepository.ts"
import { SmsOutbox } from "../../../adapters/sms/outbox.ts"
import { caFiles } from "../../../adapters/ca/index.ts"
import { cliConfig, cliRuntime } from "../appRuntime.ts"
import { demoContractPdf } from "../../platform/demoPdf.ts"
import { exportBundle } from "../../../core/evidence/exportBundle.ts"
import { parseArgs, stringArg } from "../args.ts"

const people = [
  { mobile: "13900000101", name: "演示甲" },
  { mobile: "13900000102", name: "演示乙" },
  { mobile: "13900000103", name: "演示丙" },
] as const

const person = (p: (typeof people)[number]) =>
  Effect.gen(function*() {
    const users = yield* UserRepository
    const found = yield* users.findByMobile(p.mobile)
    if (Option.isSome(found)) return found.value
    const user = new User({
      id: (yield* (yield* IdGenerator).next) as string as UserId,
      mobile: Schema.decodeSync(Mobile)(p.mobile),
      passwordHash: yield* (yield* PasswordHasher).hash("Demo1234"),
      name: p.name, email: null, createdAt: yield* Clock.currentTimeMillis,
    })
    yield* users.insert(user)
    return user
  })

/** The code the outbox adapter "texted" to `mobile` last. */
const outboxCode = (mobile: string) =>
  Effect.flatMap(SmsOutbox.use((o) => o.recent(1, mobile)), ([m]) => {
    const code = m?.text.match(/验证码为 (\d{6})/)?.[1]
    return code === undefined ? Effect.fail(new Error(`no code in the outbox for ${mobile}`)) : Effect.succeed(code)
  })

/**
 * `signet demo --out DIR`: runs a three-party sequential contract through the
 * core use cases against the configured database (SMS codes read back from the
 * development outbox), and writes the signed PDF, the CA root it chains to,
 * and the contract's evidence bundle (`signet evidence verify` checks it offline).
 */
export default async function run(args: ReadonlyArray<string>): Promise<number> {
  const parsed = parseArgs(args)
  const out = stringArg(parsed, "out")
  if (out === undefined) {
    console.error("usage: signet demo --out DIR")
    return 2
  }
  const config = cliConfig()
  if (config === null) return 2
  if (config.smsGateway !== null) {
    console.error("signet demo: reads SMS codes from the development outbox; unset SIGNET_SMS_GATEWAY_URL")
    return 2
  }
  const runtime = cliRuntime(config, "demo")
  try {
    const contract = await runtime.runPromise(Effect.gen(function*() {
      const [a, b, c] = [yield* person(people[0]), yield* person(people[1]), yield* person(people[2])]
      const now = yield* Clock.currentTimeMillis
      const draft = yield* createContract(a, {
        name: "演示合同", pdf: yield* Effect.promise(() => demoContractPdf("Signet demo contract")), mode: "sequential",
        deadline: now + 24 * 3600_000,
        parties: [a, b, c].map((u) => ({ name: u.name ?? u.mobile, mobile: u.mobile })),
        fields: [0, 1, 2].map((i) => new SignField({ partyIndex: i, page: 2, x: 50 + i * 170, y: 80, width: 150, height: 60, kind: "signature" })),
      })
      yield* sendContract(a, draft.id)
      let last = draft
      for (const u of [a, b, c]) {
        yield* requestSigningCode(u, draft.id)
        last = yield* signContract(u, draft.id, yield* outboxCode(u.mobile))
      }
      const pdf = yield* BlobStore.use((s) => s.get(last.documentSha256))
      // The contract's evidence: every act, proven in the log's latest checkpoint, with the demo persons' openings.
      const evidence = yield* exportBundle(`contract:${last.id}`, { withOpenings: true })
      return { contract: last, pdf: Option.getOrThrow(pdf), evidence }
    }))
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, "contract.pdf"), contract.pdf)
    copyFileSync(caFiles(join(config.dataDir, "ca")).rootCert, join(out, "trust-root.pem"))
    writeFileSync(join(out, "evidence"), `${JSON.stringify(contract.evidence, null, 2)}\n`)
    console.log(`contract ${contract.contract.id} (${contract.contract.status}): ${contract.contract.parties.length} parties signed`)
    console.log(`wrote ${resolve(out, "contract.pdf")} (${contract.contract.documentVersion} signatures)`)
    console.log(`wrote ${resolve(out, "trust-root.pem")} (the CA root the signatures chain to)`)
    console.log(`wrote ${resolve(out, "evidence")} (evidence bundle: ${contract.evidence.events.length} events of contract ${contract.contract.id})`)
    console.log(`check: npx signet pdf verify ${join(out, "contract.pdf")} --trust ${join(out, "trust-root.pem")}`)
    console.log(`check: npx signet evidence verify ${join(out, "evidence")} --pdf ${join(out, "contract.pdf")}`)
    return 0
  } catch (e) {
    console.error(`signet demo: ${e instanceof Error ? e.message : String(e)}`)
    return 1
  } finally {
    await runtime.dispose()
  }
}
