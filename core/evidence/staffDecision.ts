import type { RecordEventInput } from "./recordEvent.ts"

/**
 * X4: an admin decision as evidence, on the deciding staff member's own chain
 * (so each reviewer's history of decisions is one verifiable sequence): what
 * was decided about what. Free-text notes stay out: they may hold personal
 * data, and the log cannot forget.
 */
export const staffDecision = (
  staffId: string,
  action: string,
  facts: Readonly<Record<string, string | number | boolean | null>>,
): Omit<RecordEventInput, "ip" | "userAgent"> => ({
  type: "staff.decision", subjectId: staffId, role: "staff", actor: staffId, data: { action, ...facts },
})
