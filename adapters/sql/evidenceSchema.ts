/** Tables of migration 0010 (witness cosignatures, evidence reports), added to the shared DB type where the evidence store uses them. */
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

export type EvidenceTables = {
  evidence_cosignatures: EvidenceCosignaturesTable
  evidence_reports: EvidenceReportsTable
}
