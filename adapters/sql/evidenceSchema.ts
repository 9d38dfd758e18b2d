/** Tables of migrations 0010 (witness cosignatures, evidence reports), 0015 (packed openings) and 0016 (tree segments), added to the shared DB type where the evidence store uses them. */
export interface EvidenceCosignaturesTable {
  size: number
  witness: string
  line: string
  created_at: number
}

export interface EvidenceReportsTable {
  code: string
  subject: string
  bundle: string
  created_at: number
}

/** Migration 0015: an event's openings in one row, a JSON array of [field, salt, value]. */
export interface EvidenceOpeningsPackedTable {
  event_id: string
  openings: string
}

/** Migration 0016: the Merkle tree as runs of consecutive hashes of one level (32 bytes each, concatenated). */
export interface EvidenceTreeTable {
  level: number
  start: number
  hashes: Uint8Array
}

export type EvidenceTables = {
  evidence_tree: EvidenceTreeTable
  evidence_openings_packed: EvidenceOpeningsPackedTable
  evidence_cosignatures: EvidenceCosignaturesTable
  evidence_reports: EvidenceReportsTable
}
