import { Effect, Layer, Option } from "effect"
import { OtpChallenge } from "../../core/otp/Otp.ts"
import { OtpRepository } from "../../core/ports/OtpRepository.ts"
import { compiledOnce, Database, decodeRow, queryOn } from "./Database.ts"
import type { OtpChallengesTable } from "./schema.ts"

const decode = decodeRow(OtpChallenge, "otp_challenges")
const toChallenge = (r: OtpChallengesTable) =>
  decode({
    id: r.id, mobile: r.mobile, purpose: r.purpose, codeHash: r.code_hash, createdAt: r.created_at,
    expiresAt: r.expires_at, failedAttempts: r.failed_attempts, consumedAt: r.consumed_at,
  })

export const layerOtpRepository = Layer.effect(
  OtpRepository,
  Effect.gen(function*() {
    const { db } = yield* Database
    const q = queryOn(db)
    // Each signing act checks and uses up a code: these are built and compiled once.
    const latest = compiledOnce(db, (d, mobile: string, purpose: string) =>
      d.selectFrom("otp_challenges").selectAll().where("mobile", "=", mobile).where("purpose", "=", purpose)
        .orderBy("created_at", "desc").orderBy("id", "desc").limit(1))
    const recordAttempt = compiledOnce(db, (d, id: string, max: number) =>
      d.updateTable("otp_challenges").set((eb) => ({ failed_attempts: eb("failed_attempts", "+", 1) }))
        .where("id", "=", id).where("failed_attempts", "<", max).returning("failed_attempts"))
    const consume = compiledOnce(db, (d, id: string, at: number) =>
      d.updateTable("otp_challenges").set({ consumed_at: at }).where("id", "=", id).where("consumed_at", "is", null))
    return {
      insert: (c) =>
        q("otp.insert", (db) =>
          db.insertInto("otp_challenges").values({
            id: c.id, mobile: c.mobile, purpose: c.purpose, code_hash: c.codeHash, created_at: c.createdAt,
            expires_at: c.expiresAt, failed_attempts: c.failedAttempts, consumed_at: c.consumedAt,
          }).execute()).pipe(Effect.asVoid),
      latest: (mobile, purpose) =>
        q("otp.latest", async (d) => (await d.executeQuery(latest(mobile, purpose))).rows[0]).pipe(
            Effect.flatMap((r) => r === undefined ? Effect.succeedNone : Effect.map(toChallenge(r), Option.some)),
          ),
      sentSince: (mobile, since) =>
        q("otp.sentSince", (db) =>
          db.selectFrom("otp_challenges").select("created_at").where("mobile", "=", mobile).where("created_at", ">", since).execute()).pipe(
            Effect.map((rows) => rows.map((r) => r.created_at)),
          ),
      recordAttempt: (id, max) =>
        q("otp.recordAttempt", async (d) => (await d.executeQuery(recordAttempt(id, max))).rows[0]).pipe(
            Effect.map((r) => r === undefined ? null : Number(r.failed_attempts)),
          ),
      consume: (id, at) =>
        q("otp.consume", (d) => d.executeQuery(consume(id, at))).pipe(Effect.map((r) => Number(r.numAffectedRows) === 1)),
    }
  }),
)
