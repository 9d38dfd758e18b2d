import type { Kysely } from "kysely"

/**
 * Issue 18: invoices, certificates shown to the buyer, staff order search.
 * - the invoice's own machine (core/orders/invoiceMachine.ts): its status and medium as columns for the 待开票 / 待寄出
 *   queues, the whole record as JSON;
 * - the certificate made onto the USB-Key (DER, base64), for the order page and its .cer download;
 * - what staff search by, copied out of application_json (kept in step on every write): applicant, agent, company, mobile.
 * Existing rows are backfilled from their JSON.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.alterTable("orders").addColumn("invoice_status", "text", (c) => c.notNull().defaultTo("pending")).execute()
  await db.schema.alterTable("orders").addColumn("invoice_medium", "text", (c) => c.notNull().defaultTo("electronic")).execute()
  await db.schema.alterTable("orders").addColumn("invoice_record_json", "text").execute()
  await db.schema.alterTable("orders").addColumn("certificate_der", "text").execute()
  await db.schema.alterTable("orders").addColumn("holder_name", "text", (c) => c.notNull().defaultTo("")).execute()
  await db.schema.alterTable("orders").addColumn("agent_name", "text", (c) => c.notNull().defaultTo("")).execute()
  await db.schema.alterTable("orders").addColumn("company_name", "text", (c) => c.notNull().defaultTo("")).execute()
  await db.schema.alterTable("orders").addColumn("agent_mobile", "text", (c) => c.notNull().defaultTo("")).execute()
  const rows = await db.selectFrom("orders").select(["id", "application_json", "invoice_json"]).execute()
  for (const r of rows as Array<{ id: string; application_json: string; invoice_json: string }>) {
    const a = JSON.parse(r.application_json)
    const i = JSON.parse(r.invoice_json)
    await db.updateTable("orders").set({
      holder_name: a.holder?.name ?? "", agent_name: a.agent?.name ?? "", company_name: a.enterprise?.name ?? "", agent_mobile: a.agent?.mobile ?? "",
      invoice_medium: i.medium ?? "electronic",
    }).where("id", "=", r.id).execute()
  }
  await db.schema.createIndex("orders_invoice").on("orders").columns(["invoice_status", "invoice_medium", "updated_at"]).execute()
  await db.schema.createIndex("orders_agent_mobile").on("orders").columns(["agent_mobile", "created_at"]).execute()
  await db.schema.createIndex("orders_created").on("orders").columns(["created_at"]).execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  for (const index of ["orders_invoice", "orders_agent_mobile", "orders_created"]) await db.schema.dropIndex(index).ifExists().execute()
  for (const column of ["invoice_status", "invoice_medium", "invoice_record_json", "certificate_der", "holder_name", "agent_name", "company_name", "agent_mobile"]) {
    await db.schema.alterTable("orders").dropColumn(column).execute()
  }
}
