import { mkdirSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { Clock, Effect, Option, Schema } from "effect"
import { User } from "../../../core/accounts/User.ts"
import { SignField } from "../../../core/contracts/Contract.ts"
import { createContract, sendContract } from "../../../core/contracts/createContract.ts"
import { requestSigningCode, signContract, type SigningChoice } from "../../../core/contracts/signContract.ts"
import { ensureDemoEnterprise, verifiedUser, type DemoEnterpriseSpec } from "../../platform/seedPlatform.ts"
import type { UserId } from "../../../core/kernel/Ids.ts"
import { Mobile } from "../../../core/kernel/Mobile.ts"
import { BlobStore } from "../../../core/ports/BlobStore.ts"
import { IdGenerator } from "../../../core/ports/IdGenerator.ts"
import { PasswordHasher } from "../../../core/ports/PasswordHasher.ts"
import { UserRepository } from "../../../core/ports/UserRepository.ts"
import { SmsOutbox } from "../../../adapters/sms/outbox.ts"
import { toPem } from "../../../adapters/keys-software/index.ts"
import { TrustList } from "../../../core/ports/TrustList.ts"
import { cliConfig, cliRuntime } from "../appRuntime.ts"
import { demoContractPdf } from "../../platform/demoPdf.ts"
import { exportBundle } from "../../../core/evidence/exportBundle.ts"
import { parseArgs, stringArg } from "../args.ts"

const people = [
  { mobile: "13900000101", name: "演示甲" },
  { mobile: "13900000103", name: "演示丙" },
] as const

/**
 * The demo enterprise: admin 演示丁; 演示乙, an agent holding its contract
 * seal, signs for it with the signature signatory 演示戊 delegated to him.
 */
const enterprise: DemoEnterpriseSpec = {
  name: "Signet 演示科技有限公司", creditCode: "91310115MA1H7DE4MN", address: "上海市浦东新区张江路 1 号",
  admin: { mobile: "13900000104", name: "演示丁", idNumber: "310115199001010010" },
  members: [
    { person: { mobile: "13900000102", name: "演示乙", idNumber: "310115199202020020" }, roles: ["agent"] },
    { person: { mobile: "13900000105", name: "演示戊", idNumber: "310115198803030035" }, roles: ["signatory"] },
  ],
  sealHolder: { mobile: "13900000102", name: "演示乙", idNumber: "310115199202020020" },
  signatory: { mobile: "13900000105", name: "演示戊", idNumber: "310115198803030035" },
  delegateTo: { mobile: "13900000102", name: "演示乙", idNumber: "310115199202020020" },
}

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
 * development outbox): a person, an enterprise (its seal and a signatory's
 * signature delegated to the agent who signs: two signatures), another person.
 * Writes the signed PDF, the CA root it chains to, and the contract's
 * evidence bundle (`signet evidence verify` checks it offline).
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
      // The sender is verified: only verified accounts send contracts (issue 16).
      const [a, c] = [yield* verifiedUser({ ...people[0], idNumber: "310115199505050032" }), yield* person(people[1])]
      const org = yield* ensureDemoEnterprise(enterprise)
      const agent = org.userOf(enterprise.sealHolder)
      const now = yield* Clock.currentTimeMillis
      const box = (partyIndex: number, x: number, kind: "signature" | "seal", y = 80, size = { width: 150, height: 60 }) =>
        new SignField({ partyIndex, page: 2, x, y, ...size, kind })
      // A person, the enterprise (its seal over its signatory's signature), another person; in this order.
      const draft = yield* createContract(a, {
        name: "演示合同", pdf: yield* Effect.promise(() => demoContractPdf("Signet demo contract")), mode: "sequential",
        deadline: now + 24 * 3600_000,
        parties: [{ name: a.name ?? a.mobile, mobile: a.mobile }, { enterpriseName: enterprise.name }, { name: c.name ?? c.mobile, mobile: c.mobile }],
        fields: [box(0, 50, "signature"), box(1, 220, "signature"), box(1, 240, "seal", 60, { width: 100, height: 100 }), box(2, 390, "signature")],
      })
      yield* sendContract(a, draft.id)
      const signers: ReadonlyArray<readonly [User, SigningChoice | undefined]> = [
        [a, undefined],
        [agent, { partyIndex: 1, sealId: org.sealId, signatoryUserId: org.userOf(enterprise.signatory).id }],
        [c, undefined],
      ]
      let last = draft
      for (const [u, choice] of signers) {
        yield* requestSigningCode(u, draft.id, choice)
        last = yield* signContract(u, draft.id, yield* outboxCode(u.mobile), choice)
      }
      const pdf = yield* BlobStore.use((s) => s.get(last.documentSha256))
      // The contract's evidence: every act, proven in the log's latest checkpoint, with the demo persons' openings.
      const evidence = yield* exportBundle(`contract:${last.id}`, { withOpenings: true })
      // The root the apps trust (their CA's, in the data dir or the database).
      const [root] = (yield* TrustList).roots
      return { contract: last, pdf: Option.getOrThrow(pdf), evidence, root: root! }
    }))
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, "contract.pdf"), contract.pdf)
    writeFileSync(join(out, "trust-root.pem"), toPem(contract.root, "CERTIFICATE"))
    writeFileSync(join(out, "evidence"), `${JSON.stringify(contract.evidence, null, 2)}\n`)
    console.log(`contract ${contract.contract.id} (${contract.contract.status}): ${contract.contract.parties.length} parties signed (${contract.contract.parties.map((p) => p.name).join(", ")})`)
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
