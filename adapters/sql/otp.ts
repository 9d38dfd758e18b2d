import { Effect, Layer, Option } from "effect"
import { OtpChallenge } from "../../core/otp/Otp.ts"
import { OtpRepository } from "../../core/ports/OtpRepository.ts"
import { Database, decodeRow, queryOn } from "./Database.ts"
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
    const q = queryOn((yield* Database).db)
    return {
      insert: (c) =>
        q("otp.insert", (db) =>
          db.insertInto("otp_challenges").values({
            id: c.id, mobile: c.mobile, purpose: c.purpose, code_hash: c.codeHash, created_at: c.createdAt,
            expires_at: c.expiresAt, failed_attempts: c.failedAttempts, consumed_at: c.consumedAt,
          }).execute()).pipe(Effect.asVoid),
      latest: (mobile, purpose) =>
        q("otp.latest", (db) =>
          db.selectFrom("otp_challenges").selectAll().where("mobile", "=", mobile).where("purpose", "=", purpose)
            .orderBy("created_at", "desc").orderBy("id", "desc").limit(1).executeTakeFirst()).pipe(
            Effect.flatMap((r) => r === undefined ? Effect.succeedNone : Effect.map(toChallenge(r), Option.some)),
          ),
      sentSince: (mobile, since) =>
        q("otp.sentSince", (db) =>
          db.selectFrom("otp_challenges").select("created_at").where("mobile", "=", mobile).where("created_at", ">", since).execute()).pipe(
            Effect.map((rows) => rows.map((r) => r.created_at)),
          ),
      recordAttempt: (id, max) =>
        q("otp.recordAttempt", (db) =>
          db.updateTable("otp_challenges").set((eb) => ({ failed_attempts: eb("failed_attempts", "+", 1) }))
            .where("id", "=", id).where("failed_attempts", "<", max).returning("failed_attempts").executeTakeFirst()).pipe(
            Effect.map((r) => r === undefined ? null : Number(r.failed_attempts)),
          ),
      consume: (id, at) =>
        q("otp.consume", (db) =>
          db.updateTable("otp_challenges").set({ consumed_at: at }).where("id", "=", id).where("consumed_at", "is", null)
            .executeTakeFirst()).pipe(Effect.map((r) => Number(r.numUpdatedRows) === 1)),
    }
  }),
)
