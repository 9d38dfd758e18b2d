/** Table shapes of contracts (C1-C10) and the archive (M1-M4). */

export interface ContractsTable {
  id: string
  name: string
  initiator_user_id: string
  /** The sending enterprise's name (migration 0013); null for a person. */
  initiator_org_name: string | null
  /** The enterprise and branch the initiator acted for (migration 0014); null for a person. */
  initiator_enterprise_id: string | null
  initiator_branch_id: string | null
  mode: string
  deadline: number
  status: string
  fields_json: string
  document_sha256: string
  document_version: number
  created_at: number
  sent_at: number | null
  ended_at: number | null
  rejection_reason: string | null
  revision: number
}

export interface ContractPartiesTable {
  contract_id: string
  party_index: number
  name: string
  mobile: string
  status: string
  acted_at: number | null
  last_reminded_at: number | null
  viewed_at: number | null
  /** An enterprise party (migration 0014): the enterprise, the branch signing for it, the member named to sign. */
  enterprise_id: string | null
  branch_id: string | null
  branch_name: string | null
  signer_user_id: string | null
}

/** C10: an enterprise's sent contracts by branch, in creation order (migration 0015; rewritten with every save). */
export interface ContractOrgsTable {
  enterprise_id: string
  contract_id: string
  branch_id: string
  /** 1 on exactly one row per (enterprise, contract). */
  is_primary: number
  status: string
  created_at: number
  initiator_user_id: string
  /** The contract's name, sending enterprise and parties' names, one a line (searched with LIKE). */
  search_text: string
}

/** 我的签约 index rows (migration 0026): `u:<user id>` initiated it, `m:<mobile>` is a party of it as a person. */
export interface ContractViewersTable {
  viewer: string
  contract_id: string
  created_at: number
  status: string
  initiator_enterprise_id: string | null
}

export interface ContractVersionsTable {
  contract_id: string
  version: number
  sha256: string
  at: number
}

export interface ContractHistoryTable {
  contract_id: string
  seq: string
  at: number
  actor_user_id: string | null
  action: string
  detail: string
}

export interface ArchiveFoldersTable {
  id: string
  owner_user_id: string
  name: string
  created_at: number
}

export interface ArchiveUploadsTable {
  id: string
  owner_user_id: string
  name: string
  sha256: string
  size: number
  created_at: number
  all_valid: number
  signatures_json: string
}

export interface ArchivePlacementsTable {
  owner_user_id: string
  item_key: string
  folder_id: string
}

/** An enterprise's contract template (migration 0024). */
export interface ContractTemplatesTable {
  id: string
  enterprise_id: string
  name: string
  roles_json: string
  fields_json: string
  boxes_json: string
  pages_json: string
  document_sha256: string
  created_by: string
  created_at: number
  updated_at: number
  deleted_at: number | null
}
