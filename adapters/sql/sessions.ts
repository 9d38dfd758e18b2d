import { Effect, Layer, Option } from "effect"
import { Session } from "../../core/accounts/User.ts"
import { SessionRepository } from "../../core/ports/SessionRepository.ts"
import { compiledOnce, Database, decodeRow, queryOn } from "./Database.ts"

const toSession = decodeRow(Session, "sessions")

export const layerSessionRepository = Layer.effect(
  SessionRepository,
  Effect.gen(function*() {
    const { db } = yield* Database
    const q = queryOn(db)
    // Every request with a session cookie: built and compiled once.
    const byToken = compiledOnce(db, (d, tokenHash: string) => d.selectFrom("sessions").selectAll().where("token_hash", "=", tokenHash))
    return {
      insert: (s) =>
        q("sessions.insert", (db) =>
          db.insertInto("sessions").values({
            token_hash: s.tokenHash, kind: s.kind, subject_id: s.subjectId, csrf_secret: s.csrfSecret,
            created_at: s.createdAt, expires_at: s.expiresAt,
          }).execute()).pipe(Effect.asVoid),
      find: (tokenHash) =>
        q("sessions.find", async (d) => (await d.executeQuery(byToken(tokenHash))).rows[0]).pipe(
          Effect.flatMap((r) =>
            r === undefined
              ? Effect.succeedNone
              : Effect.map(toSession({
                tokenHash: r.token_hash, kind: r.kind, subjectId: r.subject_id, csrfSecret: r.csrf_secret,
                createdAt: r.created_at, expiresAt: r.expires_at,
              }), Option.some)
          ),
        ),
      delete: (tokenHash) => q("sessions.delete", (db) => db.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute()).pipe(Effect.asVoid),
      deleteForSubject: (kind, subjectId, keep) =>
        q("sessions.deleteForSubject", (db) => {
          let del = db.deleteFrom("sessions").where("kind", "=", kind).where("subject_id", "=", subjectId)
          if (keep !== null) del = del.where("token_hash", "<>", keep)
          return del.executeTakeFirst()
        }).pipe(Effect.map((r) => Number(r.numDeletedRows))),
      deleteExpired: (now) =>
        q("sessions.deleteExpired", (db) => db.deleteFrom("sessions").where("expires_at", "<=", now).executeTakeFirst()).pipe(
          Effect.map((r) => Number(r.numDeletedRows)),
        ),
    }
  }),
)
