import type { Kysely } from "kysely"
import { makeAppendOnly } from "./appendOnly.ts"

/**
 * Evidence, second part (issue 7): witnesses' cosignatures of our checkpoints
 * (C2SP tlog-cosignature lines, verified before they are stored) and the
 * bundles frozen when an evidence report (出证报告) is issued, found by the
 * report's verification code. Both append-only, like the rest of the log
 * (the trigger function of 0003 serves Postgres).
 */
const TABLES = ["evidence_cosignatures", "evidence_reports"]

export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("evidence_cosignatures")
    .addColumn("size", "bigint", (c) => c.notNull().references("evidence_checkpoints.size"))
    .addColumn("witness", "text", (c) => c.notNull())
    .addColumn("line", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("evidence_cosignatures_pk", ["size", "witness"])
    .execute()
  await db.schema.createTable("evidence_reports")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("bundle", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute()
  await makeAppendOnly(db, TABLES)
}

export const down = async (db: Kysely<any>): Promise<void> => {
  for (const t of ["evidence_reports", "evidence_cosignatures"]) await db.schema.dropTable(t).ifExists().execute()
}
