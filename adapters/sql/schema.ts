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

export interface DB {
  users: UsersTable
  staff: StaffTable
  sessions: SessionsTable
  addresses: AddressesTable
  otp_challenges: OtpChallengesTable
  sms_outbox: SmsOutboxTable
  id_workers: IdWorkersTable
}
