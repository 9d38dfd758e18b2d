/**
 * Embedding Signet's core without the web app: SQLite storage, the software
 * CA, the evidence log, and the contract use cases. Creates a contract for two
 * people, has each confirm with the SMS code (read from the development
 * outbox) and sign, and writes the signed PDF and the contract's evidence
 * bundle. Node 22+:
 *
 *   npx tsx examples/embed-core.ts ./var/embed        # writes ./var/embed/signed.pdf and evidence.json
 *   npx tsx apps/cli/main.ts evidence verify ./var/embed/evidence.json --pdf ./var/embed/signed.pdf
 *
 * Evidence is not optional: the contract acts require an EvidenceRecorder in
 * their types, so a runtime built without `layerEmbeddedEvidence` does not
 * compile (examples/embed-core.typecheck.ts proves it). apps/api/examples.test.ts
 * runs `embedDemo` and verifies its bundle so this file cannot rot.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Clock, Effect, Layer, Schema } from "effect"
import { PDFDocument, StandardFonts } from "pdf-lib"
import { User } from "../core/accounts/User.ts"
import { createContract, sendContract } from "../core/contracts/createContract.ts"
import { requestSigningCode, signContract } from "../core/contracts/signContract.ts"
import { downloadContract } from "../core/contracts/contractActs.ts"
import { EvidenceRecorder } from "../core/evidence/EvidenceRecorder.ts"
import { exportBundle } from "../core/evidence/exportBundle.ts"
import { ContractEventSink } from "../core/ports/ContractEventSink.ts"
import { SignField } from "../core/contracts/Contract.ts"
import type { UserId } from "../core/kernel/Ids.ts"
import { Mobile } from "../core/kernel/Mobile.ts"
import { OtpSecret } from "../core/ports/OtpSecret.ts"
import { AppLinks } from "../core/ports/AppLinks.ts"
import { IdGenerator } from "../core/ports/IdGenerator.ts"
import { UserRepository } from "../core/ports/UserRepository.ts"
import { PersonalVerificationRepository } from "../core/ports/VerificationRepository.ts"
import { PersonalVerification } from "../core/verification/PersonalVerification.ts"
import { ResidentIdNumber } from "../core/verification/ResidentIdNumber.ts"
import type { UploadId } from "../core/verification/Upload.ts"
import { layerEvidenceRepositories, layerRepositories, layerSqlite, migrated } from "../adapters/sql/index.ts"
import { layer as layerLogKey } from "../adapters/evidence-ed25519/index.ts"
import { layerDevTsa } from "../adapters/evidence-tsa/index.ts"
import { layer as layerBlobs } from "../adapters/blobs-fs/index.ts"
import { layer as layerCjkFont } from "../adapters/font-cjk/index.ts"
import { layer as layerCrypto } from "../adapters/crypto-node/index.ts"
import { webCryptoLayer } from "../adapters/keys-software/index.ts"
import { layerSoftwareCa } from "../adapters/signing-identity/index.ts"
import { layerOutboxReader, layerOutboxSender, SmsOutbox } from "../adapters/sms/index.ts"

/**
 * The services the contract use cases need, on SQLite in `dir`, except the
 * evidence recorder (see layerEmbedded). In your own system, replace the SMS
 * outbox by a real gateway and keep the master key (32 random bytes) and the
 * OTP key outside the database. No partner API here: nobody is told of
 * contract writes (ContractEventSink.none, by name).
 */
export const layerEmbeddedServices = (dir: string, masterKey: Uint8Array, otpKey: Uint8Array) => {
  mkdirSync(dir, { recursive: true })
  return Layer.mergeAll(
    layerRepositories, layerEvidenceRepositories, layerOutboxSender, layerOutboxReader, ContractEventSink.none,
    layerBlobs(join(dir, "blobs")), layerSoftwareCa(join(dir, "ca"), masterKey), webCryptoLayer, layerCjkFont(),
    Layer.succeed(AppLinks, { contract: (id) => `https://sign.example.cn/contracts/${id}` }),
    // The evidence log's checkpoints: signed with its own Ed25519 key, timestamped (the dev TSA: use your TSA's layer).
    layerLogKey({ dir: join(dir, "log-key"), masterKey, name: "embed.example.cn/log" }), layerDevTsa(join(dir, "tsa"), masterKey),
  ).pipe(
    Layer.provideMerge(migrated(layerSqlite(join(dir, "signet.db")))),
    Layer.provideMerge(Layer.mergeAll(layerCrypto, IdGenerator.layerSnowflake(1), Layer.succeed(OtpSecret, { key: otpKey }))),
  )
}

/** Every act's evidence event commits in the act's own transaction (core/evidence/EvidenceRecorder.ts). */
export const layerEmbeddedEvidence = EvidenceRecorder.layer

/** The whole embedded runtime: the services and the evidence recorder on them. */
export const layerEmbedded = (dir: string, masterKey: Uint8Array, otpKey: Uint8Array) =>
  layerEmbeddedEvidence.pipe(Layer.provideMerge(layerEmbeddedServices(dir, masterKey, otpKey)))

/** A person the contract goes to (your system has its own users; Signet needs name and mobile). */
const person = (name: string, mobile: string) =>
  Effect.gen(function*() {
    const user = new User({
      id: (yield* (yield* IdGenerator).next) as string as UserId, mobile: Schema.decodeSync(Mobile)(mobile),
      passwordHash: "-", name, email: null, createdAt: yield* Clock.currentTimeMillis,
    })
    yield* UserRepository.use((r) => r.insert(user))
    return user
  })

/**
 * Sending a contract texts its parties, so the sender must be verified (实名认证):
 * record the verification your system (or your provider) made. Demo values only.
 */
const verified = (user: User, idNumber: string) =>
  Effect.as(PersonalVerificationRepository.use((r) => r.insert(new PersonalVerification({
    userId: user.id, name: user.name ?? "", idNumber: Schema.decodeSync(ResidentIdNumber)(idNumber), cardLast4: "0000", cardType: "debit",
    mobile: user.mobile, photoUploadId: "1000000000000000001" as UploadId, providerReference: "embedder", verifiedAt: user.createdAt,
  }))), user)

/** The code the (development) SMS outbox last sent to a signer. */
const codeTexted = (mobile: string) =>
  Effect.flatMap(SmsOutbox.use((o) => o.recent(1, mobile)), ([m]) => Effect.succeed(m?.text.match(/验证码为 (\d{6})/)?.[1] ?? ""))

const onePagePdf = Effect.promise(async () => {
  const doc = await PDFDocument.create()
  const page = doc.addPage([595, 842])
  page.drawText("Supply agreement between ACME and Globex", { x: 60, y: 770, size: 16, font: await doc.embedFont(StandardFonts.Helvetica) })
  return doc.save()
})

/** Create → send → each party confirms with the SMS code and signs → the signed PDF and the contract's evidence bundle. */
export const embedDemo = Effect.gen(function*() {
  const alice = yield* Effect.flatMap(person("Alice", "13900000001"), (u) => verified(u, "440305199208150034"))
  const bob = yield* person("Bob", "13900000002")
  const draft = yield* createContract(alice, {
    name: "Supply agreement", pdf: yield* onePagePdf, mode: "sequential", deadline: (yield* Clock.currentTimeMillis) + 7 * 86400_000,
    parties: [{ name: "Alice", mobile: alice.mobile }, { name: "Bob", mobile: bob.mobile }],
    fields: [0, 1].map((i) => new SignField({ partyIndex: i, page: 1, x: 60 + i * 200, y: 80, width: 150, height: 60, kind: "signature" })),
  })
  yield* sendContract(alice, draft.id)
  for (const signer of [alice, bob]) {
    yield* requestSigningCode(signer, draft.id)
    yield* signContract(signer, draft.id, yield* codeTexted(signer.mobile))
  }
  const { contract, pdf } = yield* downloadContract(alice, draft.id)
  // Offline proof of the contract's history, for `signet evidence verify` (personal data left out: no openings).
  const evidence = yield* exportBundle(`contract:${contract.id}`, { withOpenings: false })
  return { contract, pdf, evidence }
})

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? "./var/embed"
  const key = (label: string) => new Uint8Array(32).map((_, i) => (i * 31 + label.length) & 0xff) // demo only: use 32 random bytes kept in a secret store
  const { contract, pdf, evidence } = await Effect.runPromise(embedDemo.pipe(Effect.provide(layerEmbedded(dir, key("master"), key("otp")))))
  writeFileSync(join(dir, "signed.pdf"), pdf)
  writeFileSync(join(dir, "evidence.json"), JSON.stringify(evidence, null, 2))
  console.log(`contract ${contract.id}: ${contract.status}, ${contract.documentVersion} signatures → ${join(dir, "signed.pdf")}; ${evidence.events.length} evidence events → ${join(dir, "evidence.json")}`)
}
