import { fc, test } from "@fast-check/vitest"
import { Result, Schema, SchemaIssue } from "effect"
import { describe, expect } from "vitest"
import { MAX_DOCUMENT_BYTES, NewContractRules, repeatedParty } from "./NewContract.ts"
import { transition, draft } from "./contractMachine.ts"
import type { ContractPartyInput } from "./parties.ts"
import type { Mobile } from "../kernel/Mobile.ts"

const NOW = Date.parse("2026-12-07T10:00:00+08:00")
const pdf = new TextEncoder().encode("%PDF-1.7\n%%EOF\n")
const person = (mobile: string): ContractPartyInput => ({ name: "张三", mobile: mobile as Mobile })
const enterprise = (enterpriseName: string, enterpriseId?: string): ContractPartyInput => ({ enterpriseName, ...(enterpriseId === undefined ? {} : { enterpriseId }) })

/** Field -> code of every issue the rules report. */
const issues = (input: unknown): Record<string, string> => {
  const r = Schema.decodeUnknownResult(NewContractRules(NOW))(input, { errors: "all" })
  if (Result.isSuccess(r)) return {}
  return Object.fromEntries(SchemaIssue.makeFormatterStandardSchemaV1()(r.failure.issue).issues.map((i) => [String(i.path?.[0]), i.message]))
}

describe("NewContractRules (C1, one schema for the portal, the platform pages and the API)", () => {
  test("a contract ahead of its deadline, with distinct parties and a PDF, passes", () => {
    expect(issues({ deadline: NOW + 1, parties: [person("13800000001"), person("13800000002"), enterprise("甲公司")], document: pdf })).toEqual({})
    expect(issues({ deadline: NOW + 1, parties: [person("13800000001")] })).toEqual({})
  })

  test("each broken rule is reported by field, as a code", () => {
    expect(issues({ deadline: NOW, parties: [person("13800000001"), person("13800000001")], document: new TextEncoder().encode("PK\u0003\u0004") })).toEqual({
      deadline: "deadline.past", parties: "parties.duplicate", document: "document.notPdf",
    })
    expect(issues({ deadline: NOW + 1, parties: [enterprise("甲公司"), enterprise("甲公司")] })).toEqual({ parties: "parties.enterpriseDuplicate" })
    expect(issues({ deadline: NOW + 1, parties: [enterprise("甲公司", "1"), enterprise("甲公司（简称）", "1")] })).toEqual({ parties: "parties.enterpriseDuplicate" })
  })

  test("a document over 50 MB is refused by size before its bytes are read", () => {
    const big = new Uint8Array(MAX_DOCUMENT_BYTES + 1)
    big.set(pdf)
    expect(issues({ deadline: NOW + 1, parties: [], document: big })).toEqual({ document: "document.tooLarge" })
  })

  test.prop([fc.integer({ min: NOW - 10 * 86_400_000, max: NOW + 10 * 86_400_000 })])("the deadline rule is the machine's: a contract passes exactly when it could be sent now", (deadline) => {
    const sendable = Result.isSuccess(transition(draft("simultaneous", deadline, ["0"]), { _tag: "Send", at: NOW }))
    expect(issues({ deadline, parties: [person("13800000001")] }).deadline === undefined).toBe(sendable)
  })

  test.prop([fc.array(fc.constantFrom("13800000001", "13800000002", "13800000003"), { maxLength: 4 })])("persons repeat exactly when a mobile repeats", (mobiles) => {
    expect(repeatedParty(mobiles.map(person)) === "person").toBe(new Set(mobiles).size !== mobiles.length)
  })
})
