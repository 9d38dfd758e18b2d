import { Effect, Layer } from "effect"
import { Migrator, type Migration } from "kysely/migration"
import { RepositoryError } from "../../../core/kernel/errors.ts"
import { Database } from "../Database.ts"
import * as m0001 from "./0001_accounts.ts"
import * as m0002 from "./0002_verification.ts"
import * as m0003 from "./0003_evidence.ts"
import * as m0004 from "./0004_orders.ts"
import * as m0005 from "./0005_contracts.ts"
import * as m0006 from "./0006_archive.ts"
import * as m0007 from "./0007_contract_list_index.ts"
import * as m0010 from "./0010_evidence_witnesses_reports.ts"
import * as m0011 from "./0011_api.ts"
import * as m0008 from "./0008_organizations.ts"
import * as m0009 from "./0009_seals.ts"
import * as m0013 from "./0013_contract_search.ts"
import * as m0014 from "./0014_contract_enterprises.ts"
import * as m0015 from "./0015_contract_orgs.ts"
import * as m0015evidence from "./0015_evidence_compact.ts"
import * as m0016 from "./0016_evidence_tree.ts"
import * as m0017orders from "./0017_order_submissions.ts"
import * as m0018 from "./0018_limit_counters.ts"
import * as m0018blobs from "./0018_blobs.ts"
import * as m0019keys from "./0019_keys.ts"
import * as m0024templates from "./0024_contract_templates.ts"
import * as m0026viewers from "./0026_contract_viewers.ts"
import * as m0035listKeysets from "./0035_list_keysets.ts"
import * as m0028statusId from "./0028_contracts_status_id.ts"
import * as m0029usageAutoSign from "./0029_seal_usage_auto_sign.ts"
import * as m0030extExpiry from "./0030_external_signatures_expiry.ts"
import * as m0021external from "./0021_external_signing.ts"
import * as m0017staff from "./0017_staff_security.ts"
import * as m0017sms from "./0017_sms_quota.ts"
import * as m0023invoices from "./0023_invoices_search.ts"
import * as m0022refunds from "./0022_refunds.ts"
import * as m0025 from "./0025_notifications_permissions.ts"

/** Every migration, in order. Names sort; never rename or edit one that has shipped. */
const migrations: Record<string, Migration> = {
  "0001_accounts": m0001,
  "0002_verification": m0002,
  "0003_evidence": m0003,
  "0004_orders": m0004,
  "0005_contracts": m0005,
  "0006_archive": m0006,
  "0007_contract_list_index": m0007,
  "0010_evidence_witnesses_reports": m0010,
  "0011_api": m0011,
  "0008_organizations": m0008,
  "0009_seals": m0009,
  "0013_contract_search": m0013,
  "0014_contract_enterprises": m0014,
  "0015_contract_orgs": m0015,
  "0015_evidence_compact": m0015evidence,
  "0016_evidence_tree": m0016,
  "0017_order_submissions": m0017orders,
  "0018_limit_counters": m0018,
  "0018_blobs": m0018blobs,
  "0019_keys": m0019keys,
  "0024_contract_templates": m0024templates,
  "0026_contract_viewers": m0026viewers,
  "0021_external_signing": m0021external,
  "0017_staff_security": m0017staff,
  "0017_sms_quota": m0017sms,
  "0023_invoices_search": m0023invoices,
  "0022_refunds": m0022refunds,
  "0025_notifications_permissions": m0025,
  "0028_contracts_status_id": m0028statusId,
  "0029_seal_usage_auto_sign": m0029usageAutoSign,
  "0030_external_signatures_expiry": m0030extExpiry,

  "0035_list_keysets": m0035listKeysets,
}

const migrateWith = (selected: Record<string, Migration>) =>
  Effect.gen(function*() {
    const { db, schema } = yield* Database
    // Kysely looks for its bookkeeping tables in every schema; name ours, or a sibling test schema's tables are taken for ours.
    // Unordered: migrations written on parallel branches (0008-0013 landed out of order) still apply to a database that ran a later one.
    const migrator = new Migrator({ db, provider: { getMigrations: async () => selected }, allowUnorderedMigrations: true, ...(schema === undefined ? {} : { migrationTableSchema: schema }) })
    const { error, results } = yield* Effect.promise(() => migrator.migrateToLatest())
    if (error !== undefined) return yield* new RepositoryError({ operation: "migrate", cause: error })
    return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName)
  })

/** Brings the schema up to date (both dialects). */
export const migrate = migrateWith(migrations)

/** Brings the schema to where it stood before the migrations named `name` and later (backfill tests). */
export const migrateBefore = (name: string) => migrateWith(Object.fromEntries(Object.entries(migrations).filter(([k]) => k < name)))

/** A database layer whose schema is brought up to date before anything uses it. */
export const migrated = <E, R>(database: Layer.Layer<Database, E, R>) =>
  Layer.effectDiscard(migrate).pipe(Layer.provideMerge(database))
