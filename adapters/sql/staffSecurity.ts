import { Effect, Layer } from "effect"
import { StaffSecurity } from "../../core/ports/StaffSecurity.ts"
import { Database, queryOn } from "./Database.ts"

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/** X1 staff log-in security on Kysely (both dialects: plain upserts and a conditional update). */
export const layerStaffSecurity = Layer.effect(
  StaffSecurity,
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    return {
      totpOf: (id) =>
        q("staffTotp.find", (db) => db.selectFrom("staff_totp").selectAll().where("staff_id", "=", id).executeTakeFirst()).pipe(
          Effect.map((r) => ({ secret: r?.secret ?? null, pending: r?.pending ?? null, lastStep: num(r?.last_step) })),
        ),
      setPendingTotp: (id, sealed) =>
        q("staffTotp.setPending", (db) =>
          db.insertInto("staff_totp").values({ staff_id: id, secret: null, pending: sealed, last_step: null })
            .onConflict((oc) => oc.column("staff_id").doUpdateSet({ pending: sealed })).execute()).pipe(Effect.asVoid),
      enableTotp: (id, sealed, step) =>
        q("staffTotp.enable", (db) =>
          db.insertInto("staff_totp").values({ staff_id: id, secret: sealed, pending: null, last_step: step })
            .onConflict((oc) => oc.column("staff_id").doUpdateSet({ secret: sealed, pending: null, last_step: step })).execute()).pipe(Effect.asVoid),
      useTotpStep: (id, step) =>
        q("staffTotp.useStep", (db) =>
          db.updateTable("staff_totp").set({ last_step: step }).where("staff_id", "=", id)
            .where((eb) => eb.or([eb("last_step", "is", null), eb("last_step", "<", step)])).executeTakeFirst()).pipe(
          Effect.map((r) => Number(r.numUpdatedRows) === 1),
        ),
      removeTotp: (id) => q("staffTotp.remove", (db) => db.deleteFrom("staff_totp").where("staff_id", "=", id).execute()).pipe(Effect.asVoid),
    }
  }),
)
