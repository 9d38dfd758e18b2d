import { Effect, Layer, Option, Schema } from "effect"
import type { Kysely } from "kysely"
import { ApiKey, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEventType } from "../../core/api/Api.ts"
import { ApiRepository, type IdempotencyBegin } from "../../core/ports/ApiRepository.ts"
import { WebhookRepository } from "../../core/ports/WebhookRepository.ts"
import { LIST_TOTAL_CAP } from "../../core/ports/ContractRepository.ts"
import { compiledOnce, Database, decodeRow, queryOn } from "./Database.ts"
import type { DB } from "./schema.ts"

/** Table shapes of the partner API (migration 0011). */
type ApiTables = {
  api_keys: { id: string; enterprise_id: string; name: string; salt: string; secret_sha256: string; created_by: string; created_at: number; revoked_at: number | null; last_used_at: number | null }
  api_nonces: { key_id: string; nonce: string; seen_at: number }
  api_idempotency: { key_id: string; idempotency_key: string; request_sha256: string; status: number | null; content_type: string | null; body: string | null; created_at: number }
  /** status: the contract's, copied (migration 0035: kept by trigger). */
  enterprise_contracts: { contract_id: string; enterprise_id: string; api_key_id: string | null; created_at: number; status: string | null }
  webhook_endpoints: { id: string; enterprise_id: string; url: string; events_json: string; salt: string; created_by: string; created_at: number; disabled_at: number | null }
  webhook_deliveries: {
    id: string; endpoint_id: string; enterprise_id: string; event_id: string; event_type: string; contract_id: string
    payload: string; status: string; attempts: number; created_at: number; delivered_at: number | null
  }
  webhook_attempts: { delivery_id: string; attempt: number; at: number; status_code: number | null; error: string | null }
}
type ApiDB = DB & ApiTables

const Events = Schema.fromJsonString(Schema.Array(WebhookEventType))
const decodeKey = decodeRow(ApiKey, "api_keys")
const decodeEndpoint = decodeRow(WebhookEndpoint, "webhook_endpoints")
const decodeEvents = decodeRow(Events, "webhook_endpoints.events")
const decodeDelivery = decodeRow(WebhookDelivery, "webhook_deliveries")
const decodeAttempt = decodeRow(WebhookAttempt, "webhook_attempts")

const toKey = (r: ApiTables["api_keys"]) =>
  decodeKey({ id: r.id, enterpriseId: r.enterprise_id, name: r.name, salt: r.salt, secretSha256: r.secret_sha256, createdBy: r.created_by, createdAt: r.created_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at })
const toEndpoint = (r: ApiTables["webhook_endpoints"]) =>
  Effect.flatMap(decodeEvents(r.events_json), (events) =>
    decodeEndpoint({ id: r.id, enterpriseId: r.enterprise_id, url: r.url, events, salt: r.salt, createdBy: r.created_by, createdAt: r.created_at, disabledAt: r.disabled_at }))
const toDelivery = (r: ApiTables["webhook_deliveries"]) =>
  decodeDelivery({
    id: r.id, endpointId: r.endpoint_id, enterpriseId: r.enterprise_id, eventId: r.event_id, eventType: r.event_type, contractId: r.contract_id,
    payload: r.payload, status: r.status, attempts: r.attempts, createdAt: r.created_at, deliveredAt: r.delivered_at,
  })
const toAttempt = (r: ApiTables["webhook_attempts"]) =>
  decodeAttempt({ deliveryId: r.delivery_id, attempt: r.attempt, at: r.at, statusCode: r.status_code, error: r.error })

const changed = (r: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) => Number(r.numUpdatedRows ?? r.numDeletedRows ?? 0n) > 0

const apiDb = (d: Kysely<DB>) => d.withTables<ApiTables>() as unknown as Kysely<ApiDB>

const useDb = Effect.gen(function*() {
  const q = queryOn((yield* Database).db)
  return <A>(operation: string, run: (db: Kysely<ApiDB>) => Promise<A>) => q(operation, (d) => run(apiDb(d)))
})

export const layerApiRepository = Layer.effect(ApiRepository, Effect.gen(function*() {
  const q = yield* useDb
  // Asked on every contract write (the webhook sink): built and compiled once.
  const ownerOf = compiledOnce(apiDb((yield* Database).db), (d, contractId: string) =>
    d.selectFrom("enterprise_contracts").select("enterprise_id").where("contract_id", "=", contractId))
  return ApiRepository.of({
    insertKey: (k) => Effect.asVoid(q("api.insertKey", (db) => db.insertInto("api_keys").values({
      id: k.id, enterprise_id: k.enterpriseId, name: k.name, salt: k.salt, secret_sha256: k.secretSha256, created_by: k.createdBy,
      created_at: k.createdAt, revoked_at: k.revokedAt, last_used_at: k.lastUsedAt,
    }).execute())),
    findKey: (id) =>
      q("api.findKey", (db) => db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst()).pipe(
        Effect.flatMap((r) => r === undefined ? Effect.succeedNone : Effect.map(toKey(r), Option.some)),
      ),
    listKeys: (enterpriseId) =>
      q("api.listKeys", (db) => db.selectFrom("api_keys").selectAll().where("enterprise_id", "=", enterpriseId).orderBy("created_at", "desc").orderBy("id", "desc").execute()).pipe(
        Effect.flatMap(Effect.forEach(toKey)),
      ),
    revokeKey: (id, enterpriseId, at) =>
      q("api.revokeKey", (db) => db.updateTable("api_keys").set({ revoked_at: at }).where("id", "=", id).where("enterprise_id", "=", enterpriseId).where("revoked_at", "is", null).executeTakeFirst()).pipe(Effect.map(changed)),
    touchKey: (id, at) => Effect.asVoid(q("api.touchKey", (db) => db.updateTable("api_keys").set({ last_used_at: at }).where("id", "=", id).execute())),
    useNonce: (keyId, nonce, at) =>
      q("api.useNonce", (db) => db.insertInto("api_nonces").values({ key_id: keyId, nonce, seen_at: at }).onConflict((oc) => oc.doNothing()).executeTakeFirst()).pipe(
        Effect.map((r) => Number(r.numInsertedOrUpdatedRows ?? 0n) === 1),
      ),
    beginIdempotent: (keyId, key, sha, at, takeOverBefore) =>
      Effect.gen(function*() {
        const inserted = yield* q("api.idempotency.begin", (db) =>
          db.insertInto("api_idempotency").values({ key_id: keyId, idempotency_key: key, request_sha256: sha, status: null, content_type: null, body: null, created_at: at })
            .onConflict((oc) => oc.doNothing()).executeTakeFirst())
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return { _tag: "Started" } as IdempotencyBegin
        // A claim whose process died: one statement takes it over, so of two retries only one gets it.
        const taken = yield* q("api.idempotency.takeOver", (db) =>
          db.updateTable("api_idempotency").set({ request_sha256: sha, created_at: at })
            .where("key_id", "=", keyId).where("idempotency_key", "=", key).where("status", "is", null).where("created_at", "<", takeOverBefore)
            .executeTakeFirst())
        if (Number(taken.numUpdatedRows ?? 0n) === 1) return { _tag: "Started" } as IdempotencyBegin
        const row = yield* q("api.idempotency.find", (db) =>
          db.selectFrom("api_idempotency").selectAll().where("key_id", "=", keyId).where("idempotency_key", "=", key).executeTakeFirst())
        // Gone between the two statements (abandoned by a failed first request): treat as in progress, the client retries.
        if (row === undefined) return { _tag: "InProgress" } as IdempotencyBegin
        if (row.request_sha256 !== sha) return { _tag: "Mismatch" } as IdempotencyBegin
        if (row.status === null) return { _tag: "InProgress" } as IdempotencyBegin
        return { _tag: "Replay", response: { status: row.status, contentType: row.content_type ?? "application/json", body: row.body ?? "" } } as IdempotencyBegin
      }),
    finishIdempotent: (keyId, key, response) =>
      Effect.asVoid(q("api.idempotency.finish", (db) =>
        db.updateTable("api_idempotency").set({ status: response.status, content_type: response.contentType, body: response.body })
          .where("key_id", "=", keyId).where("idempotency_key", "=", key).execute())),
    abandonIdempotent: (keyId, key) =>
      Effect.asVoid(q("api.idempotency.abandon", (db) => db.deleteFrom("api_idempotency").where("key_id", "=", keyId).where("idempotency_key", "=", key).execute())),
    purge: (before) =>
      Effect.asVoid(Effect.all([
        q("api.purge.nonces", (db) => db.deleteFrom("api_nonces").where("seen_at", "<", before).execute()),
        q("api.purge.idempotency", (db) => db.deleteFrom("api_idempotency").where("created_at", "<", before).execute()),
      ])),
    assignContract: (contractId, enterpriseId, apiKeyId, at) =>
      Effect.asVoid(q("api.assignContract", (db) => db.insertInto("enterprise_contracts").values({
        contract_id: contractId, enterprise_id: enterpriseId, api_key_id: apiKeyId, created_at: at,
        status: (eb) => eb.selectFrom("contracts").select("contracts.status").where("contracts.id", "=", contractId),
      }).execute())),
    enterpriseOf: (contractId) =>
      q("api.enterpriseOf", async (db) => (await db.executeQuery(ownerOf(contractId))).rows[0]).pipe(
        Effect.map((r) => Option.fromNullishOr(r?.enterprise_id)),
      ),
    listContracts: (query) =>
      Effect.gen(function*() {
        const name = (query.nameContains ?? "").replace(/[%_\\]/g, "").trim()
        /**
         * The enterprise's API contracts in (created, id) order from one index (issue 23): enterprise_contracts_list, or
         * with a status enterprise_contracts_status (migration 0035). Name and creation time are the contract's own:
         * probed by its primary key per entry, the enterprise's index staying the outer loop (as a join, SQLite read
         * the contracts' status index instead). Wildcards are dropped rather than escaped: LIKE escapes differ between
         * SQLite and Postgres.
         */
        const base = (db: Kysely<ApiDB>) => {
          const onContract = name !== "" || query.createdFrom !== undefined || query.createdBefore !== undefined
          const s = db.selectFrom("enterprise_contracts as r").where("r.enterprise_id", "=", query.enterpriseId)
            .$if(query.status !== undefined && query.status.length > 0, (r) => r.where("r.status", "in", [...query.status!]))
          return !onContract ? s : s.where((eb) => eb.exists(eb.selectFrom("contracts as c").select("c.id").whereRef("c.id", "=", "r.contract_id")
            .$if(name !== "", (c) => c.where("c.name", "like", `%${name}%`))
            .$if(query.createdFrom !== undefined, (c) => c.where("c.created_at", ">=", query.createdFrom!))
            .$if(query.createdBefore !== undefined, (c) => c.where("c.created_at", "<", query.createdBefore!))))
        }
        // Newest first, from the cursor (keyset: a page reads limit entries wherever it is in the history).
        const rows = yield* q("api.listContracts", (db) => {
          const after = query.after
          const s = after === undefined ? base(db) : base(db).where((eb) =>
            eb.and([eb("r.created_at", "<=", after.createdAt), eb.or([eb("r.created_at", "<", after.createdAt), eb("r.contract_id", "<", after.id)])]))
          return s.select(["r.contract_id", "r.created_at"]).orderBy("r.created_at", "desc").orderBy("r.contract_id", "desc").limit(query.limit + 1).offset(query.offset).execute()
        })
        // Counted up to the cap (issue 23): an enterprise with a million API contracts reads 10,000 index entries, not all.
        const count = yield* q("api.countContracts", (db) =>
          db.selectFrom(base(db).select("r.contract_id").limit(LIST_TOTAL_CAP).as("t")).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow())
        // One row past the page says whether there is a next one; the cursor is the page's last row.
        const page = rows.slice(0, query.limit)
        const last = rows.length > query.limit ? page[page.length - 1] : undefined
        return { ids: page.map((r) => r.contract_id), total: Number(count.n), next: last === undefined ? undefined : { createdAt: Number(last.created_at), id: last.contract_id } }
      }),
  })
}))

export const layerWebhookRepository = Layer.effect(WebhookRepository, Effect.gen(function*() {
  const q = yield* useDb
  return WebhookRepository.of({
    insertEndpoint: (e) => Effect.asVoid(q("webhooks.insertEndpoint", (db) => db.insertInto("webhook_endpoints").values({
      id: e.id, enterprise_id: e.enterpriseId, url: e.url, events_json: JSON.stringify(e.events), salt: e.salt, created_by: e.createdBy,
      created_at: e.createdAt, disabled_at: e.disabledAt,
    }).execute())),
    findEndpoint: (id) =>
      q("webhooks.findEndpoint", (db) => db.selectFrom("webhook_endpoints").selectAll().where("id", "=", id).executeTakeFirst()).pipe(
        Effect.flatMap((r) => r === undefined ? Effect.succeedNone : Effect.map(toEndpoint(r), Option.some)),
      ),
    listEndpoints: (enterpriseId) =>
      q("webhooks.listEndpoints", (db) => db.selectFrom("webhook_endpoints").selectAll().where("enterprise_id", "=", enterpriseId).orderBy("created_at", "desc").orderBy("id", "desc").execute()).pipe(
        Effect.flatMap(Effect.forEach(toEndpoint)),
      ),
    disableEndpoint: (id, enterpriseId, at) =>
      q("webhooks.disableEndpoint", (db) => db.updateTable("webhook_endpoints").set({ disabled_at: at }).where("id", "=", id).where("enterprise_id", "=", enterpriseId).where("disabled_at", "is", null).executeTakeFirst()).pipe(Effect.map(changed)),
    // Few endpoints per enterprise: the event filter runs on the decoded list.
    subscribers: (enterpriseId, event) =>
      q("webhooks.subscribers", (db) => db.selectFrom("webhook_endpoints").selectAll().where("enterprise_id", "=", enterpriseId).where("disabled_at", "is", null).orderBy("id").execute()).pipe(
        Effect.flatMap(Effect.forEach(toEndpoint)),
        Effect.map((es) => es.filter((e) => e.events.includes(event))),
      ),
    insertDelivery: (d) => Effect.asVoid(q("webhooks.insertDelivery", (db) => db.insertInto("webhook_deliveries").values({
      id: d.id, endpoint_id: d.endpointId, enterprise_id: d.enterpriseId, event_id: d.eventId, event_type: d.eventType, contract_id: d.contractId,
      payload: d.payload, status: d.status, attempts: d.attempts, created_at: d.createdAt, delivered_at: d.deliveredAt,
    }).execute())),
    findDelivery: (id) =>
      q("webhooks.findDelivery", (db) => db.selectFrom("webhook_deliveries").selectAll().where("id", "=", id).executeTakeFirst()).pipe(
        Effect.flatMap((r) => r === undefined ? Effect.succeedNone : Effect.map(toDelivery(r), Option.some)),
      ),
    listDeliveries: (endpointId, limit) =>
      q("webhooks.listDeliveries", (db) => db.selectFrom("webhook_deliveries").selectAll().where("endpoint_id", "=", endpointId).orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute()).pipe(
        Effect.flatMap(Effect.forEach(toDelivery)),
      ),
    recordAttempt: (a, status, deliveredAt) =>
      Effect.asVoid(q("webhooks.recordAttempt", async (db) => {
        await db.insertInto("webhook_attempts").values({ delivery_id: a.deliveryId, attempt: a.attempt, at: a.at, status_code: a.statusCode, error: a.error })
          .onConflict((oc) => oc.columns(["delivery_id", "attempt"]).doUpdateSet({ status_code: a.statusCode, error: a.error })).execute()
        await db.updateTable("webhook_deliveries").set({ status, attempts: a.attempt, delivered_at: deliveredAt }).where("id", "=", a.deliveryId).execute()
      })),
    beginAttempt: (a) =>
      Effect.asVoid(q("webhooks.beginAttempt", async (db) => {
        await db.insertInto("webhook_attempts").values({ delivery_id: a.deliveryId, attempt: a.attempt, at: a.at, status_code: null, error: a.error })
          .onConflict((oc) => oc.doNothing()).execute()
        await db.updateTable("webhook_deliveries").set({ attempts: a.attempt }).where("id", "=", a.deliveryId).execute()
      })),
    markFailed: (id) => Effect.asVoid(q("webhooks.markFailed", (db) => db.updateTable("webhook_deliveries").set({ status: "failed" }).where("id", "=", id).where("status", "=", "pending").execute())),
    requeue: (id, at) => Effect.asVoid(q("webhooks.requeue", (db) => db.updateTable("webhook_deliveries").set({ status: "pending", created_at: at, delivered_at: null }).where("id", "=", id).execute())),
    attemptsOf: (deliveryId) =>
      q("webhooks.attempts", (db) => db.selectFrom("webhook_attempts").selectAll().where("delivery_id", "=", deliveryId).orderBy("attempt").execute()).pipe(
        Effect.flatMap(Effect.forEach(toAttempt)),
      ),
  })
}))

/** Both partner-API repositories (need a Database). */
export const layerApiRepositories = Layer.mergeAll(layerApiRepository, layerWebhookRepository)
