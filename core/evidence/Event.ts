/**
 * Evidence events. An event is stored as its canonical JSON text
 * (RFC 8785); that exact text is the Merkle leaf and its SHA-256 is the event
 * hash the next event of the same subject links to. Personal data (who, from
 * which address, with which browser) enters only as commitments
 * HMAC-SHA-256(salt, value) whose salt and value are kept apart and may be
 * erased: the log still verifies, the person is no longer identifiable.
 *
 * Versions: 1 named a document by SHA-256, SM3 optional; 2 (written since)
 * requires both SHA-256 and SM3 of any document an event is about. Old
 * versions stay valid forever: the log never rewrites an event.
 */
import { Schema } from "effect"

export const EVENT_VERSION = 2
/** Every version the verifier accepts. */
export const EVENT_VERSIONS = [1, 2] as const

export type SubjectKind = "user" | "staff" | "enterprise" | "seal" | "contract" | "order"

/** Every event type, with the subject it belongs to. Contract, verification and order types are defined ahead of their use cases. */
export const EVENT_TYPES = {
  // accounts (A1-A3, X1)
  "user.registered": "user",
  "user.logged_in": "user",
  "user.password_changed": "user",
  "staff.created": "staff",
  "staff.logged_in": "staff",
  "staff.totp_enrolled": "staff",
  "staff.totp_reset": "staff",
  "staff.decision": "staff",
  // verification and organisations
  "identity.verified": "user",
  "enterprise.submitted": "enterprise",
  "enterprise.approved": "enterprise",
  "enterprise.rejected": "enterprise",
  "member.added": "enterprise",
  "member.removed": "enterprise",
  // organisations (E1-E4): members, signatories, branches, admin handover
  "member.invited": "enterprise",
  "member.declined": "enterprise",
  "member.invitation_withdrawn": "enterprise",
  "member.invitation_expired": "enterprise",
  "member.edited": "enterprise",
  "member.deactivated": "enterprise",
  "signatory.linked": "enterprise",
  "branch.created": "enterprise",
  "branchAdmin.appointed": "enterprise",
  "handover.requested": "enterprise",
  "handover.accepted": "enterprise",
  "handover.cancelled": "enterprise",
  "handover.expired": "enterprise",
  // partner API (P4): keys and webhook endpoints, by the enterprise's admin
  "apiKey.created": "enterprise",
  "apiKey.revoked": "enterprise",
  "webhook.registered": "enterprise",
  "webhook.disabled": "enterprise",
  "webhook.replayed": "enterprise",
  // 模板 (issue 17): an enterprise's contract templates; the subject is the template
  "template.created": "enterprise",
  "template.updated": "enterprise",
  "template.deleted": "enterprise",
  // seals
  "seal.created": "seal",
  "seal.used": "seal",
  "delegation.granted": "seal",
  "delegation.revoked": "seal",
  // seals and signatures (E5-E7): the subject is the seal, signature or delegation
  "seal.enabled": "seal",
  "seal.disabled": "seal",
  "seal.authorized": "seal",
  "seal.authorization_revoked": "seal",
  // 自动签署授权 (issue 20)
  "seal.auto_sign_authorized": "seal",
  "seal.auto_sign_revoked": "seal",
  "signature.uploaded": "seal",
  "signature.deleted": "seal",
  "signature.used": "seal",
  // contracts
  "contract.created": "contract",
  "contract.sent": "contract",
  "contract.viewed": "contract",
  "contract.otp_confirmed": "contract",
  "contract.signed": "contract",
  "contract.rejected": "contract",
  "contract.revoked": "contract",
  "contract.expired": "contract",
  "contract.completed": "contract",
  "contract.downloaded": "contract",
  "contract.handed_over": "contract",
  // archive renewal (B-LTA): a new DSS and document timestamp appended to a completed contract's document
  "contract.archive_renewed": "contract",
  // orders
  "order.created": "order",
  "order.paid": "order",
  "order.reviewed": "order",
  "order.shipped": "order",
  // orders (O5-O9): the rest of the order machine's events
  "order.resubmitted": "order",
  "order.key_made": "order",
  "order.pickup_notified": "order",
  "order.picked_up": "order",
  "order.completed": "order",
  "order.cancelled": "order",
  "order.refunded": "order",
  // invoices (their own machine beside the order's, core/orders/invoiceMachine.ts)
  "order.invoiced": "order",
  "order.invoice_emailed": "order",
  "order.invoice_mailed": "order",
  "order.invoice_voided": "order",
  // refunds (issue 18): asked of the provider, refused by it (paid back = order.refunded)
  "order.refund_requested": "order",
  "order.refund_failed": "order",
} as const satisfies Record<string, SubjectKind>

export type EventType = keyof typeof EVENT_TYPES
const TYPE_NAMES = Object.keys(EVENT_TYPES) as unknown as readonly [EventType, ...Array<EventType>]

/** The event that must open a subject's chain, for kinds that have one (a contract's history starts with its creation). */
export const OPENING_EVENT: Partial<Record<SubjectKind, EventType>> = {
  user: "user.registered",
  contract: "contract.created",
  order: "order.created",
}

/** After one of these nothing but reading the contract may follow. */
export const TERMINAL_EVENTS: ReadonlyArray<EventType> = ["contract.rejected", "contract.revoked", "contract.expired", "contract.completed"]
/** Events that may follow a terminal one. */
export const AFTER_TERMINAL: ReadonlyArray<EventType> = ["contract.viewed", "contract.downloaded", "contract.handed_over", "contract.archive_renewed"]

/** Fields that enter an event only as commitments. */
export const COMMITTED_FIELDS = ["actor", "ip", "ua"] as const
export type CommittedField = (typeof COMMITTED_FIELDS)[number]

const Hex32 = Schema.String.pipe(Schema.check(Schema.isPattern(/^[0-9a-f]{64}$/, { message: "evidence.hex" })))

export const Subject = Schema.String.pipe(Schema.check(Schema.isPattern(/^(user|staff|enterprise|seal|contract|order):[0-9A-Za-z._-]{1,64}$/, { message: "evidence.subject" })))

export const subjectOf = (kind: SubjectKind, id: string): string => `${kind}:${id}`
export const kindOf = (subject: string): SubjectKind => subject.slice(0, subject.indexOf(":")) as SubjectKind

const Scalar = Schema.Union([Schema.String, Schema.Finite, Schema.Boolean, Schema.Null])

/** The capacity an actor acted in ("user", "party", "staff", "system"...). */
export const ROLE_PATTERN = /^[a-z_]{1,32}$/

const bodyFields = {
  type: Schema.Literals(TYPE_NAMES),
  subject: Subject,
  seq: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
  prev: Schema.NullOr(Hex32),
  at: Schema.Int,
  role: Schema.String.pipe(Schema.check(Schema.isPattern(ROLE_PATTERN, { message: "evidence.role" }))),
  commit: Schema.Struct({ actor: Schema.optionalKey(Hex32), ip: Schema.optionalKey(Hex32), ua: Schema.optionalKey(Hex32) }),
  data: Schema.Record(Schema.String, Scalar),
}

/** Version 1: a document by its SHA-256, SM3 optional. */
export const EventBodyV1 = Schema.Struct({ v: Schema.Literal(1), ...bodyFields, doc: Schema.optionalKey(Schema.Struct({ sha256: Hex32, sm3: Schema.optionalKey(Hex32) })) })
/** Version 2: a document by both SHA-256 and SM3 (GB/T 32905-2016). */
export const EventBodyV2 = Schema.Struct({ v: Schema.Literal(2), ...bodyFields, doc: Schema.optionalKey(Schema.Struct({ sha256: Hex32, sm3: Hex32 })) })

/** The canonical body of an event (what is hashed and logged), of any version. */
export const EventBody = Schema.Union([EventBodyV1, EventBodyV2])
export type EventBody = typeof EventBody.Type

/** An event as stored: the canonical text plus what the store indexes it by. */
export interface StoredEvent {
  readonly id: string
  readonly subject: string
  readonly seq: number
  readonly type: EventType
  /** Canonical JSON of the EventBody. */
  readonly body: string
  /** SHA-256 of the body's UTF-8 bytes, hex. */
  readonly hash: string
  readonly createdAt: number
}

/** The secret half of a commitment: anyone holding it can recompute the committed hash. */
export interface Opening {
  readonly eventId: string
  readonly field: CommittedField
  /** 32 random bytes, base64. */
  readonly salt: string
  readonly value: string
}
