/** Tables of migrations 0010 (witness cosignatures, evidence reports) and 0015 (packed openings), added to the shared DB type where the evidence store uses them. */
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

export type EvidenceTables = {
  evidence_openings_packed: EvidenceOpeningsPackedTable
  evidence_cosignatures: EvidenceCosignaturesTable
  evidence_reports: EvidenceReportsTable
}
