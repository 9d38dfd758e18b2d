import { Effect, Layer, Option, Schema } from "effect"
import { sql, type Kysely } from "kysely"
import { COMMITTED_FIELDS, EVENT_TYPES, type EventType } from "../../core/evidence/Event.ts"
import type { Opening } from "../../core/evidence/Event.ts"
import { quote } from "../../core/evidence/canonicalJson.ts"
import { EvidenceStore, type ChainHead } from "../../core/ports/EvidenceStore.ts"
import { Database, decodeRow, queryOn } from "./Database.ts"
import type { DB, EvidenceCheckpointsTable } from "./schema.ts"
import type { EvidenceTables } from "./evidenceSchema.ts"
import { layerTreeStore } from "./evidenceTree.ts"
import { makeInsert } from "./evidenceSql.ts"

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
/** Rows per multi-row statement: 1,000 x 7 parameters stays under SQLite's (32,766) and Postgres's (65,535) limits. */
const CHUNK = 1_000
const EVENT_COLUMNS = ["id", "subject", "subject_seq", "type", "body", "event_hash", "created_at"]
const PACKED_COLUMNS = ["event_id", "openings"]

/** An event's openings as one row (migration 0015): [[field, salt, value], ...] in the order recorded, the JSON text written directly. */
const packOpenings = (openings: ReadonlyArray<Opening>): Array<[string, string]> => {
  const byEvent = new Map<string, string>()
  for (const o of openings) {
    const entry = `[${quote(o.field)},${quote(o.salt)},${quote(o.value)}]`
    const list = byEvent.get(o.eventId)
    byEvent.set(o.eventId, list === undefined ? entry : `${list},${entry}`)
  }
  return Array.from(byEvent, ([id, list]) => [id, `[${list}]`])
}
const unpack = (r: { event_id: string; openings: string }): Array<unknown> =>
  (JSON.parse(r.openings) as ReadonlyArray<ReadonlyArray<unknown>>).map(([field, salt, value]) => ({ eventId: r.event_id, field, salt, value }))
const byEventAndField = (a: Opening, b: Opening) =>
  a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : a.field < b.field ? -1 : a.field > b.field ? 1 : 0

const eventRow = (r: { id: string; subject: string; subject_seq: number; type: string; body: string; event_hash: string; created_at: number; leaf_index: number | null }) => ({
  id: r.id, subject: r.subject, seq: Number(r.subject_seq), type: r.type, body: r.body, hash: r.event_hash,
  createdAt: Number(r.created_at), leafIndex: r.leaf_index === null ? null : Number(r.leaf_index),
})
const CosignatureRow = Schema.Struct({ size: Schema.Int, witness: Schema.String, line: Schema.String, createdAt: Schema.Number })
const toCosignatures = decodeRow(Schema.Array(CosignatureRow), "evidence_cosignatures")
const ReportRow = Schema.Struct({ code: Schema.String, subject: Schema.String, bundle: Schema.String, createdAt: Schema.Number })
const toReport = decodeRow(ReportRow, "evidence_reports")

/** Evidence events, openings, queue and checkpoints on Kysely (SQLite and Postgres alike). */
export const layerEvidenceStore = Layer.effect(
  EvidenceStore,
  Effect.gen(function*() {
    const { db: database, dialect } = yield* Database
    const q = queryOn(database)
    const insert = makeInsert(dialect)
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
    const extended = <A>(operation: string, run: (db: Kysely<DB & EvidenceTables>) => Promise<A>) => q(operation, (db) => run(db.$extendTables<EvidenceTables>()))
    return {
      // SQLite has one writer at a time: events enter the tree as they are recorded. Postgres runs writers in
      // parallel, which would all contend on the tree's frontier: there a single sequencer drains the queue.
      sequencesOnInsert: dialect === "sqlite",
      insertEvents: (events, openings, firstLeaf) =>
        q("evidence.insertEvents", async (db) => {
          // Multi-row statements, their SQL text built once per row count (no query-builder pass per value):
          // a few round trips per batch instead of three per event. Openings: one row per event (0015).
          for (let i = 0; i < events.length; i += CHUNK) {
            const part = events.slice(i, i + CHUNK)
            const values: Array<unknown> = []
            for (const e of part) values.push(e.id, e.subject, e.seq, e.type, e.body, e.hash, e.createdAt)
            await db.executeQuery(insert.flat("evidence_events", EVENT_COLUMNS, values))
            await db.executeQuery(firstLeaf === null
              ? insert("evidence_pending", ["event_id"], part.map((e) => [e.id]))
              : insert("evidence_leaves", ["leaf_index", "event_id"], part.map((e, k) => [firstLeaf + i + k, e.id])))
          }
          const packed = packOpenings(openings)
          for (let i = 0; i < packed.length; i += CHUNK) {
            await db.executeQuery(insert("evidence_openings_packed", PACKED_COLUMNS, packed.slice(i, i + CHUNK)))
          }
        }),
      chainHeads: (subjects) =>
        subjects.length === 0 ? Effect.succeed(new Map()) : q("evidence.chainHeads", async (db) => {
          // Postgres runs writers in parallel: two acts on one subject would both read the same head and one
          // would fail on the (subject, seq) key. Transaction-scoped locks per subject queue them instead
          // (taken in one order, so two batches cannot deadlock); after them the read sees the other's
          // committed events. SQLite has one writer at a time already.
          if (dialect === "postgres") {
            await sql`select pg_advisory_xact_lock(k) from (select hashtextextended(s, 0) as k from unnest(${[...subjects]}::text[]) as s order by k offset 0) as locks`.execute(db)
          }
          const heads = new Map<string, ChainHead>()
          for (let i = 0; i < subjects.length; i += CHUNK) {
            const part = subjects.slice(i, i + CHUNK)
            // One index seek per subject for its highest seq (max over the (subject, seq) key), in one statement.
            const { rows } = await sql<{ subject: string; subject_seq: number; event_hash: string; body: string }>`
              with s(subject) as (values ${sql.join(part.map((subject) => sql`(${subject})`))})
              select e.subject, e.subject_seq, e.event_hash, e.body from s join evidence_events e on e.subject = s.subject
                and e.subject_seq = (select max(x.subject_seq) from evidence_events x where x.subject = s.subject)`.execute(db)
            for (const r of rows) heads.set(r.subject, { seq: Number(r.subject_seq), hash: r.event_hash, body: r.body })
          }
          return heads
        }),
      eventAt: (leafIndex) =>
        q("evidence.eventAt", (db) =>
          db.selectFrom("evidence_leaves as l").innerJoin("evidence_events as e", "e.id", "l.event_id")
            .select(["e.id", "e.subject", "e.subject_seq", "e.type", "e.body", "e.event_hash", "e.created_at", "l.leaf_index"])
            .where("l.leaf_index", "=", leafIndex).execute()).pipe(
            Effect.flatMap((rows) => toEvents(rows.map(eventRow))),
            Effect.map((events) => Option.fromNullishOr(events[0]).pipe(Option.map((e) => ({ ...e, leafIndex: e.leafIndex ?? leafIndex })))),
          ),
      eventsOf: (subject) =>
        q("evidence.eventsOf", (db) =>
          db.selectFrom("evidence_events as e").leftJoin("evidence_leaves as l", "l.event_id", "e.id")
            .select(["e.id", "e.subject", "e.subject_seq", "e.type", "e.body", "e.event_hash", "e.created_at", "l.leaf_index"])
            .where("e.subject", "=", subject).orderBy("e.subject_seq").execute()).pipe(
            Effect.flatMap((rows) => toEvents(rows.map(eventRow))),
          ),
      openingsOf: (ids) =>
        ids.length === 0 ? Effect.succeed([]) : q("evidence.openingsOf", async (db) => {
          // Rows of events recorded before 0015 (one per field), then the packed ones.
          const rows: Array<unknown> = (await db.selectFrom("evidence_openings").selectAll().where("event_id", "in", ids).execute())
            .map((r) => ({ eventId: r.event_id, field: r.field, salt: r.salt, value: r.value }))
          const packed = await db.$extendTables<EvidenceTables>().selectFrom("evidence_openings_packed").selectAll().where("event_id", "in", ids).execute()
          for (const r of packed) rows.push(...unpack(r))
          return rows
        }).pipe(
          Effect.flatMap(toOpenings),
          Effect.map((openings) => [...openings].sort(byEventAndField)),
        ),
      eraseOpenings: (ids) =>
        ids.length === 0 ? Effect.succeed(0) : q("evidence.eraseOpenings", async (db) => {
          // Counts openings (fields), as before 0015: a packed row holds several.
          const extendedDb = db.$extendTables<EvidenceTables>()
          const packed = await extendedDb.selectFrom("evidence_openings_packed").selectAll().where("event_id", "in", ids).execute()
          await extendedDb.deleteFrom("evidence_openings_packed").where("event_id", "in", ids).execute()
          const old = await db.deleteFrom("evidence_openings").where("event_id", "in", ids).executeTakeFirst()
          return Number(old.numDeletedRows) + packed.reduce((n, r) => n + unpack(r).length, 0)
        }),
      pending: (limit) =>
        q("evidence.pending", (db) =>
          db.selectFrom("evidence_pending as p").innerJoin("evidence_events as e", "e.id", "p.event_id")
            .select(["e.id", "e.body"]).orderBy("p.event_id").limit(limit).execute()),
      sequenced: (leaves) =>
        q("evidence.sequenced", async (db) => {
          for (let i = 0; i < leaves.length; i += CHUNK) {
            const part = leaves.slice(i, i + CHUNK)
            await db.executeQuery(insert("evidence_leaves", ["leaf_index", "event_id"], part.map((l) => [l.index, l.eventId])))
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
      saveCosignature: (c) =>
        extended("evidence.saveCosignature", (db) =>
          db.insertInto("evidence_cosignatures").values({ size: c.size, witness: c.witness, line: c.line, created_at: c.createdAt })
            .onConflict((oc) => oc.columns(["size", "witness"]).doNothing()).executeTakeFirst()).pipe(
            Effect.map((r) => Number(r.numInsertedOrUpdatedRows ?? 0n) === 1),
          ),
      cosignaturesAt: (size) =>
        extended("evidence.cosignaturesAt", (db) => db.selectFrom("evidence_cosignatures").selectAll().where("size", "=", size).orderBy("witness").execute()).pipe(
          Effect.flatMap((rows) => toCosignatures(rows.map((r) => ({ size: Number(r.size), witness: r.witness, line: r.line, createdAt: Number(r.created_at) })))),
        ),
      latestCosignedSize: (minSize) =>
        extended("evidence.latestCosignedSize", (db) =>
          db.selectFrom("evidence_cosignatures").select((eb) => eb.fn.max("size").as("m")).where("size", ">=", minSize).executeTakeFirst()).pipe(
          Effect.map((r) => (r?.m === null || r?.m === undefined ? Option.none() : Option.some(Number(r.m)))),
        ),
      saveReport: (r) =>
        extended("evidence.saveReport", (db) =>
          db.insertInto("evidence_reports").values({ code: r.code, subject: r.subject, bundle: r.bundle, created_at: r.createdAt }).execute()).pipe(Effect.asVoid),
      reportByCode: (code) =>
        extended("evidence.reportByCode", (db) => db.selectFrom("evidence_reports").selectAll().where("code", "=", code).execute()).pipe(
          Effect.flatMap((rows) => rows[0] === undefined
            ? Effect.succeedNone
            : Effect.map(toReport({ code: rows[0].code, subject: rows[0].subject, bundle: rows[0].bundle, createdAt: Number(rows[0].created_at) }), Option.some)),
        ),
    }
  }),
)

/** Both evidence stores (events and tree) on the same Database. */
export const layerEvidenceRepositories = Layer.mergeAll(layerEvidenceStore, layerTreeStore)
