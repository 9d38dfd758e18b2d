import { Effect, Layer, Option, Schema } from "effect"
import { sql } from "kysely"
import { COMMITTED_FIELDS, EVENT_TYPES, type EventType } from "../../core/evidence/Event.ts"
import { EvidenceStore } from "../../core/ports/EvidenceStore.ts"
import { Database, decodeRow, queryOn } from "./Database.ts"
import type { EvidenceCheckpointsTable } from "./schema.ts"
import { layerTreeStore } from "./evidenceTree.ts"

const Hex64 = Schema.String.pipe(Schema.check(Schema.isPattern(/^[0-9a-f]{64}$/)))
const EventRow = Schema.Struct({
  id: Schema.String,
  subject: Schema.String,
  seq: Schema.Int,
  type: Schema.Literals(Object.keys(EVENT_TYPES) as unknown as readonly [EventType, ...Array<EventType>]),
  body: Schema.String,
  hash: Hex64,
  createdAt: Schema.Number,
  leafIndex: Schema.NullOr(Schema.Int),
})
const OpeningRow = Schema.Struct({ eventId: Schema.String, field: Schema.Literals(COMMITTED_FIELDS), salt: Schema.String, value: Schema.String })
const CheckpointRow = Schema.Struct({
  size: Schema.Int, root: Hex64, note: Schema.String, timestamp: Schema.NullOr(Schema.String), createdAt: Schema.Number,
})

const toEvents = decodeRow(Schema.Array(EventRow), "evidence_events")
const toOpenings = decodeRow(Schema.Array(OpeningRow), "evidence_openings")
const toCheckpoint = decodeRow(CheckpointRow, "evidence_checkpoints")
const CHUNK = 300

/** Evidence events, openings, queue and checkpoints on Kysely (SQLite and Postgres alike). */
export const layerEvidenceStore = Layer.effect(
  EvidenceStore,
  Effect.gen(function*() {
    const { db: database, dialect } = yield* Database
    const q = queryOn(database)
    const checkpoint = (where: "latest" | number) =>
      q("evidence.checkpoint", (db) => {
        let query = db.selectFrom("evidence_checkpoints as c").leftJoin("evidence_timestamps as t", "t.size", "c.size")
          .select(["c.size", "c.root", "c.note", "c.created_at", "t.token"])
        query = where === "latest" ? query.orderBy("c.size", "desc").limit(1) : query.where("c.size", "=", where)
        return query.execute()
      }).pipe(Effect.flatMap((rows) => {
        const r = rows[0] as (EvidenceCheckpointsTable & { token: string | null }) | undefined
        return r === undefined
          ? Effect.succeedNone
          : Effect.map(toCheckpoint({ size: Number(r.size), root: r.root, note: r.note, timestamp: r.token, createdAt: Number(r.created_at) }), Option.some)
      }))
    return {
      insertEvent: (e, openings) =>
        q("evidence.insertEvent", async (db) => {
          await db.insertInto("evidence_events").values({
            id: e.id, subject: e.subject, subject_seq: e.seq, type: e.type, body: e.body, event_hash: e.hash, created_at: e.createdAt,
          }).execute()
          if (openings.length > 0) {
            await db.insertInto("evidence_openings").values(openings.map((o) => ({ event_id: o.eventId, field: o.field, salt: o.salt, value: o.value }))).execute()
          }
          await db.insertInto("evidence_pending").values({ event_id: e.id }).execute()
        }),
      chainHead: (subject) =>
        q("evidence.chainHead", async (db) => {
          // Postgres runs writers in parallel: two acts on one subject would both read the same head and one
          // would fail on the (subject, seq) key. A transaction-scoped lock per subject queues them instead;
          // after it, the read sees the other's committed event. SQLite has one writer at a time already.
          if (dialect === "postgres") await sql`select pg_advisory_xact_lock(hashtextextended(${subject}, 0))`.execute(db)
          return db.selectFrom("evidence_events").select(["subject_seq", "event_hash"]).where("subject", "=", subject)
            .orderBy("subject_seq", "desc").limit(1).execute()
        }).pipe(
            Effect.map((rows) => rows[0] === undefined ? Option.none() : Option.some({ seq: Number(rows[0].subject_seq), hash: rows[0].event_hash })),
          ),
      eventsOf: (subject) =>
        q("evidence.eventsOf", (db) =>
          db.selectFrom("evidence_events as e").leftJoin("evidence_leaves as l", "l.event_id", "e.id")
            .select(["e.id", "e.subject", "e.subject_seq", "e.type", "e.body", "e.event_hash", "e.created_at", "l.leaf_index"])
            .where("e.subject", "=", subject).orderBy("e.subject_seq").execute()).pipe(
            Effect.flatMap((rows) =>
              toEvents(rows.map((r) => ({
                id: r.id, subject: r.subject, seq: Number(r.subject_seq), type: r.type, body: r.body, hash: r.event_hash,
                createdAt: Number(r.created_at), leafIndex: r.leaf_index === null ? null : Number(r.leaf_index),
              })))
            ),
          ),
      openingsOf: (ids) =>
        ids.length === 0 ? Effect.succeed([]) : q("evidence.openingsOf", (db) =>
          db.selectFrom("evidence_openings").selectAll().where("event_id", "in", ids).orderBy("event_id").orderBy("field").execute()).pipe(
            Effect.flatMap((rows) => toOpenings(rows.map((r) => ({ eventId: r.event_id, field: r.field, salt: r.salt, value: r.value })))),
          ),
      eraseOpenings: (ids) =>
        ids.length === 0 ? Effect.succeed(0) : q("evidence.eraseOpenings", (db) =>
          db.deleteFrom("evidence_openings").where("event_id", "in", ids).executeTakeFirst()).pipe(
            Effect.map((r) => Number(r.numDeletedRows)),
          ),
      pending: (limit) =>
        q("evidence.pending", (db) =>
          db.selectFrom("evidence_pending as p").innerJoin("evidence_events as e", "e.id", "p.event_id")
            .select(["e.id", "e.body"]).orderBy("p.event_id").limit(limit).execute()),
      sequenced: (leaves) =>
        q("evidence.sequenced", async (db) => {
          for (let i = 0; i < leaves.length; i += CHUNK) {
            const part = leaves.slice(i, i + CHUNK)
            await db.insertInto("evidence_leaves").values(part.map((l) => ({ leaf_index: l.index, event_id: l.eventId }))).execute()
            await db.deleteFrom("evidence_pending").where("event_id", "in", part.map((l) => l.eventId)).execute()
          }
        }),
      saveCheckpoint: (c) =>
        q("evidence.saveCheckpoint", (db) =>
          db.insertInto("evidence_checkpoints").values({ size: c.size, root: c.root, note: c.note, created_at: c.createdAt }).execute()).pipe(Effect.asVoid),
      saveTimestamp: (size, token, createdAt) =>
        q("evidence.saveTimestamp", (db) => db.insertInto("evidence_timestamps").values({ size, token, created_at: createdAt }).execute()).pipe(Effect.asVoid),
      latestCheckpoint: checkpoint("latest"),
      checkpointAt: (size) => checkpoint(size),
    }
  }),
)

/** Both evidence stores (events and tree) on the same Database. */
export const layerEvidenceRepositories = Layer.mergeAll(layerEvidenceStore, layerTreeStore)
