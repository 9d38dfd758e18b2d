import { Effect, Layer, Option } from "effect"
import { Staff, User } from "../../core/accounts/User.ts"
import { StaffRepository, UserRepository } from "../../core/ports/UserRepository.ts"
import { compiledOnce, Database, decodeRow, queryOn } from "./Database.ts"
import type { StaffTable, UsersTable } from "./schema.ts"

const toUser = decodeRow(User, "users")
const userRow = (r: UsersTable) => ({
  id: r.id, mobile: r.mobile, passwordHash: r.password_hash, name: r.name, email: r.email, createdAt: r.created_at,
})
const firstUser = (rows: ReadonlyArray<UsersTable>) =>
  rows[0] === undefined ? Effect.succeedNone : Effect.map(toUser(userRow(rows[0])), Option.some)

export const layerUserRepository = Layer.effect(
  UserRepository,
  Effect.gen(function*() {
    const { db } = yield* Database
    const q = queryOn(db)
    // Every request of a logged-in user: built and compiled once.
    const byId = compiledOnce(db, (d, id: string) => d.selectFrom("users").selectAll().where("id", "=", id))
    return {
      insert: (u) =>
        q("users.insert", (db) =>
          db.insertInto("users").values({
            id: u.id, mobile: u.mobile, password_hash: u.passwordHash, name: u.name, email: u.email, created_at: u.createdAt,
          }).onConflict((oc) => oc.doNothing()).executeTakeFirst()).pipe(
            Effect.map((r) => Number(r.numInsertedOrUpdatedRows ?? 0n) === 1),
          ),
      findById: (id) => q("users.findById", async (d) => (await d.executeQuery(byId(id))).rows).pipe(Effect.flatMap(firstUser)),
      findByMobile: (mobile) =>
        q("users.findByMobile", (db) => db.selectFrom("users").selectAll().where("mobile", "=", mobile).execute()).pipe(Effect.flatMap(firstUser)),
      updateProfile: (id, changes) =>
        q("users.updateProfile", (db) => db.updateTable("users").set({ name: changes.name, email: changes.email }).where("id", "=", id).execute()).pipe(Effect.asVoid),
      updatePasswordHash: (id, hash) =>
        q("users.updatePasswordHash", (db) => db.updateTable("users").set({ password_hash: hash }).where("id", "=", id).execute()).pipe(Effect.asVoid),
    }
  }),
)

const toStaff = decodeRow(Staff, "staff")
const firstStaff = (rows: ReadonlyArray<StaffTable>) =>
  rows[0] === undefined
    ? Effect.succeedNone
    : Effect.map(
      toStaff({ id: rows[0].id, username: rows[0].username, passwordHash: rows[0].password_hash, name: rows[0].name, createdAt: rows[0].created_at }),
      Option.some,
    )

export const layerStaffRepository = Layer.effect(
  StaffRepository,
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    return {
      insert: (s) =>
        q("staff.insert", (db) =>
          db.insertInto("staff").values({ id: s.id, username: s.username, password_hash: s.passwordHash, name: s.name, created_at: s.createdAt })
            .onConflict((oc) => oc.doNothing()).executeTakeFirst()).pipe(Effect.map((r) => Number(r.numInsertedOrUpdatedRows ?? 0n) === 1)),
      findById: (id) => q("staff.findById", (db) => db.selectFrom("staff").selectAll().where("id", "=", id).execute()).pipe(Effect.flatMap(firstStaff)),
      findByUsername: (u) => q("staff.findByUsername", (db) => db.selectFrom("staff").selectAll().where("username", "=", u).execute()).pipe(Effect.flatMap(firstStaff)),
    }
  }),
)
