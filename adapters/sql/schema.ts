import type { ContractTemplatesTable, ContractsTable, ContractPartiesTable, ContractOrgsTable, ContractVersionsTable, ContractHistoryTable, ArchiveFoldersTable, ArchiveUploadsTable, ArchivePlacementsTable, ContractViewersTable } from "./schema-contracts.ts"

/** Table shapes as Kysely sees them. Times are epoch ms (bigint columns), flags 0/1. */
export interface UsersTable {
  id: string
  mobile: string
  password_hash: string
  name: string | null
  email: string | null
  created_at: number
}

export interface StaffTable {
  id: string
  username: string
  password_hash: string
  name: string
  created_at: number
}

export interface StaffTotpTable {
  staff_id: string
  secret: string | null
  pending: string | null
  last_step: number | null
}

export interface SessionsTable {
  token_hash: string
  kind: string
  subject_id: string
  csrf_secret: string
  created_at: number
  expires_at: number
}

export interface AddressesTable {
  id: string
  user_id: string
  recipient: string
  mobile: string
  region: string
  detail: string
  is_default: number
  created_at: number
}

export interface OtpChallengesTable {
  id: string
  mobile: string
  purpose: string
  code_hash: string
  created_at: number
  expires_at: number
  failed_attempts: number
  consumed_at: number | null
}

export interface LimitCountersTable {
  key: string
  count: number
  window_ends_at: number
}

export interface SmsQuotaTable {
  key: string
  day: string
  count: number
}

export interface SmsOutboxTable {
  id: string
  mobile: string
  text: string
  created_at: number
}

export interface IdWorkersTable {
  worker_id: number
  holder: string
  leased_until: number
}

export interface UploadsTable {
  id: string
  owner_id: string
  kind: string
  media_type: string
  sha256: string
  size: number
  width: number | null
  height: number | null
  created_at: number
}

export interface PersonalVerificationsTable {
  user_id: string
  name: string
  id_number: string
  card_last4: string
  card_type: string
  mobile: string
  photo_upload_id: string
  /** Migration 0025: the ID card's back (反面). */
  back_photo_upload_id: string | null
  provider_reference: string
  verified_at: number
}

export interface EnterprisesTable {
  id: string
  name: string
  credit_code: string
  legal_representative: string
  address: string
  contact_phone: string
  email: string
  admin_user_id: string
  created_at: number
}

export interface EnterpriseVerificationsTable {
  id: string
  applicant_id: string
  status: string
  name: string | null
  credit_code: string | null
  address: string | null
  legal_representative: string | null
  contact_phone: string | null
  email: string | null
  licence_upload_id: string | null
  letter_upload_id: string | null
  submissions: number
  submitted_at: number | null
  rejection_reason: string | null
  rejection_note: string | null
  decided_by: string | null
  decided_at: number | null
  enterprise_id: string | null
  created_at: number
  updated_at: number
}

export interface EnterpriseVerificationDecisionsTable {
  id: string
  verification_id: string
  staff_id: string
  decision: string
  reason: string | null
  note: string | null
  decided_at: number
}

export interface EvidenceEventsTable {
  id: string
  subject: string
  subject_seq: number
  type: string
  body: string
  event_hash: string
  created_at: number
}

export interface EvidenceOpeningsTable {
  event_id: string
  field: string
  salt: string
  value: string
}

export interface EvidencePendingTable {
  event_id: string
}

export interface EvidenceLeavesTable {
  leaf_index: number
  event_id: string
}

export interface EvidenceCheckpointsTable {
  size: number
  root: string
  note: string
  created_at: number
}

export interface EvidenceTimestampsTable {
  size: number
  token: string
  created_at: number
}

export interface OrdersTable {
  id: string
  user_id: string
  status: string
  business: string
  applicant: string
  application_json: string
  package_json: string
  delivery_json: string
  invoice_json: string
  goods_fen: number
  delivery_fee_fen: number
  service_fee_fen: number
  payable_fen: number
  payment_trade_no: string | null
  payment_amount_fen: number | null
  paid_at: number | null
  reject_reasons_json: string
  review_rounds: number
  certificate_serial: string | null
  carrier: string | null
  tracking_no: string | null
  refund_reason: string | null
  /** Migration 0023: the invoice machine (status, medium, record), the certificate made, search columns. */
  invoice_status: string
  invoice_medium: string
  invoice_record_json: string | null
  certificate_der: string | null
  holder_name: string
  agent_name: string
  company_name: string
  agent_mobile: string
  /** Migration 0022: late payments and refunds (JSON), and whether money is owed (staff queue 待退款, 0/1). */
  late_payments_json: string
  refunds_json: string
  refund_due: number
  version: number
  created_at: number
  updated_at: number
}

/** Migration 0022: the development payment provider's books (adapters/sql/mockPayments.ts). */
export interface MockPaymentTradesTable {
  out_trade_no: string
  amount_fen: number
  subject: string
  return_url: string
  notify_url: string
  status: string
  trade_no: string | null
  method: string | null
  bank: string | null
  refunded_fen: number
}

export interface MockPaymentRefundsTable {
  out_trade_no: string
  refund_no: string
  amount_fen: number
}

export interface OrderSubmissionsTable {
  user_id: string
  token: string
  order_id: string
  created_at: number
}

/** Migration 0018: blobs in the database (adapters/blobs-sql). */
export interface BlobChunksTable {
  sha256: string
  seq: number
  data: Uint8Array
}

export interface BlobsTable {
  sha256: string
  size: number
  chunks: number
  created_at: number
}

/** Migration 0019: sealed keys and CA material (adapters/sql/vault.ts). */
export interface VaultEntriesTable {
  name: string
  data: Uint8Array
  created_at: number
}

/** Migration 0021: signatures prepared for a key the signer holds (core/contracts/ExternalSignature.ts). */
export interface ExternalSignaturesTable {
  id: string
  contract_id: string
  party_index: number
  field_name: string
  actor: string
  base_sha256: string
  prepared_sha256: string
  contents_start: number
  contents_end: number
  content_digest: string
  certificate: string
  created_at: number
  expires_at: number
  completed_at: number | null
}

/** Migration 0021: seals authorized for API auto-signing (core/seals/autoSign.ts). */
export interface AutoSignAuthorizationsTable {
  id: string
  enterprise_id: string
  seal_id: string
  scope_kind: string
  scope_values: string
  valid_from: number
  valid_until: number
  max_count: number
  used_count: number
  granted_by: string
  created_at: number
  revoked_at: number | null
  revoked_by: string | null
}

/** Migration 0021: the template an API contract was made from. */
export interface ContractTemplateUsesTable {
  contract_id: string
  template_id: string
}

export interface OrderHistoryTable {
  order_id: string
  seq: number
  event: string
  status: string
  actor_kind: string
  actor_id: string
  detail_json: string
  at: number
}

export type { ContractTemplatesTable, ContractsTable, ContractPartiesTable, ContractOrgsTable, ContractVersionsTable, ContractHistoryTable, ArchiveFoldersTable, ArchiveUploadsTable, ArchivePlacementsTable, ContractViewersTable }

export interface DB {
  archive_folders: ArchiveFoldersTable
  archive_uploads: ArchiveUploadsTable
  archive_placements: ArchivePlacementsTable
  contracts: ContractsTable
  contract_parties: ContractPartiesTable
  contract_orgs: ContractOrgsTable
  contract_viewers: ContractViewersTable
  contract_versions: ContractVersionsTable
  contract_history: ContractHistoryTable
  contract_templates: ContractTemplatesTable
  users: UsersTable
  staff: StaffTable
  staff_totp: StaffTotpTable
  sessions: SessionsTable
  addresses: AddressesTable
  otp_challenges: OtpChallengesTable
  limit_counters: LimitCountersTable
  sms_outbox: SmsOutboxTable
  sms_quota: SmsQuotaTable
  id_workers: IdWorkersTable
  uploads: UploadsTable
  personal_verifications: PersonalVerificationsTable
  enterprises: EnterprisesTable
  enterprise_verifications: EnterpriseVerificationsTable
  enterprise_verification_decisions: EnterpriseVerificationDecisionsTable
  evidence_events: EvidenceEventsTable
  evidence_openings: EvidenceOpeningsTable
  evidence_pending: EvidencePendingTable
  evidence_leaves: EvidenceLeavesTable
  evidence_checkpoints: EvidenceCheckpointsTable
  evidence_timestamps: EvidenceTimestampsTable
  orders: OrdersTable
  order_history: OrderHistoryTable
  order_submissions: OrderSubmissionsTable
  mock_payment_trades: MockPaymentTradesTable
  mock_payment_refunds: MockPaymentRefundsTable
  blob_chunks: BlobChunksTable
  blobs: BlobsTable
  vault_entries: VaultEntriesTable
  external_signatures: ExternalSignaturesTable
  auto_sign_authorizations: AutoSignAuthorizationsTable
  contract_template_uses: ContractTemplateUsesTable
}
