import { Schema } from "effect"
import { AddressId, StaffId, UserId } from "../kernel/Ids.ts"
import { Millis } from "../kernel/Millis.ts"
import { Mobile } from "../kernel/Mobile.ts"

/** A registered person (A1). The password is only ever held as an argon2id hash. */
export class User extends Schema.Class<User>("User")({
  id: UserId,
  mobile: Mobile,
  passwordHash: Schema.String,
  name: Schema.NullOr(Schema.String),
  email: Schema.NullOr(Schema.String),
  createdAt: Millis,
}) {}

export const ProfileName = Schema.String.pipe(
  Schema.check(Schema.isTrimmed({ message: "name.trim" }), Schema.isBetweenLength(1, 40, { message: "name.length" })),
)
export const Email = Schema.String.pipe(
  Schema.check(
    Schema.isMaxLength(100, { message: "email.invalid" }),
    Schema.isPattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: "email.invalid" }),
  ),
)

/** What a user may edit on "my account" (A3). Empty means "not given". */
export const ProfileChanges = Schema.Struct({
  name: Schema.NullOr(ProfileName),
  email: Schema.NullOr(Email),
})
export type ProfileChanges = typeof ProfileChanges.Type

/** Platform staff (R7): reviewers and operators of the admin app. Not a User. */
export class Staff extends Schema.Class<Staff>("Staff")({
  id: StaffId,
  username: Schema.String,
  passwordHash: Schema.String,
  name: Schema.String,
  createdAt: Millis,
}) {}

export const StaffUsername = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^[a-z][a-z0-9_.-]{2,31}$/, { message: "username.invalid" })),
)

/** Whose session it is: users and staff never share one (X1). */
export const SessionKind = Schema.Literals(["user", "staff"])
export type SessionKind = typeof SessionKind.Type

/**
 * A logged-in session. The cookie holds a random token; only its SHA-256 is
 * stored, so a database leak does not hand out sessions.
 */
export class Session extends Schema.Class<Session>("Session")({
  tokenHash: Schema.String,
  kind: SessionKind,
  subjectId: Schema.String,
  csrfSecret: Schema.String,
  createdAt: Millis,
  expiresAt: Millis,
}) {}

/** A delivery address in the address book (A4). */
export class Address extends Schema.Class<Address>("Address")({
  id: AddressId,
  userId: UserId,
  recipient: Schema.String,
  mobile: Mobile,
  region: Schema.String,
  detail: Schema.String,
  isDefault: Schema.Boolean,
  createdAt: Millis,
}) {}

export const AddressInput = Schema.Struct({
  recipient: Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "recipient.trim" }), Schema.isBetweenLength(1, 30, { message: "recipient.length" }))),
  mobile: Mobile,
  region: Schema.String.pipe(Schema.check(Schema.isBetweenLength(2, 60, { message: "region.length" }))),
  detail: Schema.String.pipe(Schema.check(Schema.isBetweenLength(2, 120, { message: "detail.length" }))),
  isDefault: Schema.Boolean,
})
export type AddressInput = typeof AddressInput.Type
