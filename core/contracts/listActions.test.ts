import { describe, expect, it } from "vitest"
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { Schema } from "effect"
import { Contract } from "./Contract.ts"
import { listStatus, rowActions, type RowViewer } from "./listActions.ts"

const ME = "13800000001"
const OTHER = "13800000002"

const contract = (status: Contract["status"], parties: ReadonlyArray<{ mobile: string; status: "waiting" | "signed" | "rejected"; enterpriseId?: string }>, mode: "sequential" | "simultaneous" = "simultaneous") =>
  Schema.decodeUnknownSync(Contract)({
    id: "1234567890123456789", name: "采购合同", initiatorUserId: "1234567890123456780", mode, deadline: 2e12, status,
    parties: parties.map((p, index) => ({
      index, name: `方${index}`, mobile: p.mobile, status: p.status, actedAt: p.status === "waiting" ? null : 1, lastRemindedAt: null, viewedAt: null,
      ...(p.enterpriseId === undefined ? {} : { enterpriseId: p.enterpriseId, branchId: p.enterpriseId, branchName: "总公司" }),
    })),
    fields: [], documentSha256: "00", documentVersion: 1, createdAt: 1, sentAt: status === "draft" ? null : 1, endedAt: null, rejectionReason: null, revision: 0,
  })

const viewer = (over: Partial<RowViewer> = {}): RowViewer => ({ mobile: ME, enterpriseIds: [], initiator: false, list: "personal", ...over })

describe("the manual's list rows (issue 17)", () => {
  it("names the statuses as the manual does: 待签署 before anyone signs, 正在签署 after", () => {
    expect(listStatus(contract("inProgress", [{ mobile: ME, status: "waiting" }, { mobile: OTHER, status: "waiting" }]))).toBe("pending")
    expect(listStatus(contract("inProgress", [{ mobile: ME, status: "signed" }, { mobile: OTHER, status: "waiting" }]))).toBe("signing")
    expect(listStatus(contract("completed", [{ mobile: ME, status: "signed" }]))).toBe("completed")
    expect(listStatus(contract("expired", [{ mobile: ME, status: "waiting" }]))).toBe("expired")
  })

  it("签约 提醒 撤销 查看 for the initiator who must sign; 查看 alone once it is over", () => {
    const live = contract("inProgress", [{ mobile: ME, status: "waiting" }, { mobile: OTHER, status: "waiting" }])
    expect(rowActions(live, viewer({ initiator: true }))).toEqual(["sign", "remind", "revoke", "view"])
    expect(rowActions(live, viewer({ mobile: OTHER }))).toEqual(["sign", "view"])
    expect(rowActions(live, viewer({ mobile: "13900000000" }))).toEqual(["view"])
    expect(rowActions(contract("revoked", [{ mobile: ME, status: "waiting" }]), viewer({ initiator: true }))).toEqual(["view"])
    expect(rowActions(contract("completed", [{ mobile: ME, status: "signed" }]), viewer({ initiator: true }))).toEqual(["download", "view"])
    expect(rowActions(contract("draft", [{ mobile: ME, status: "waiting" }]), viewer({ initiator: true }))).toEqual(["edit"])
    expect(rowActions(contract("draft", [{ mobile: ME, status: "waiting" }]), viewer())).toEqual([])
  })

  it("in turn only: a sequential contract asks the second party to sign after the first", () => {
    const seq = contract("inProgress", [{ mobile: OTHER, status: "waiting" }, { mobile: ME, status: "waiting" }], "sequential")
    expect(rowActions(seq, viewer())).toEqual(["view"])
    const turn = contract("inProgress", [{ mobile: OTHER, status: "signed" }, { mobile: ME, status: "waiting" }], "sequential")
    expect(rowActions(turn, viewer())).toEqual(["sign", "view"])
  })

  it("an enterprise's 合同管理: 刷新 alone while in progress and 下载合同 once done (the manual's rows), 签约 for its members while its party is due, 移交 when allowed", () => {
    const live = contract("inProgress", [{ mobile: OTHER, status: "waiting", enterpriseId: "e1" }])
    expect(rowActions(live, viewer({ enterpriseIds: ["e1"], list: "enterprise", mayHandOver: true }))).toEqual(["sign", "refresh", "handOver"])
    expect(rowActions(live, viewer({ enterpriseIds: ["e2"], list: "enterprise" }))).toEqual(["refresh"])
    expect(rowActions(contract("completed", [{ mobile: OTHER, status: "signed", enterpriseId: "e1" }]), viewer({ enterpriseIds: ["e1"], list: "enterprise" }))).toEqual(["download"])
    expect(rowActions(contract("revoked", [{ mobile: OTHER, status: "waiting", enterpriseId: "e1" }]), viewer({ enterpriseIds: ["e1"], list: "enterprise" }))).toEqual(["view"])
  })

  const arb = fc.record({
    status: fc.constantFrom<Contract["status"]>("draft", "inProgress", "completed", "rejected", "revoked", "expired"),
    parties: fc.array(fc.record({ mobile: fc.constantFrom(ME, OTHER), status: fc.constantFrom<"waiting" | "signed" | "rejected">("waiting", "signed") }), { minLength: 1, maxLength: 4 }),
    initiator: fc.boolean(),
    list: fc.constantFrom<"personal" | "enterprise">("personal", "enterprise"),
  })
  test.prop([arb])("only the initiator reminds or revokes, only while in progress; nobody signs a contract that is over", ({ status, parties, initiator, list }) => {
    const actions = rowActions(contract(status, parties), viewer({ initiator, list }))
    if (actions.includes("remind") || actions.includes("revoke")) expect([initiator, status]).toEqual([true, "inProgress"])
    if (actions.includes("sign") || actions.includes("refresh")) expect(status).toBe("inProgress")
    // Every row that is not a draft offers a way in: 查看, or in an enterprise's list 刷新 / 下载合同 beside the linked name.
    if (status !== "draft") expect(actions.some((a) => a === "view" || (list === "enterprise" && (a === "refresh" || a === "download")))).toBe(true)
    if (list === "enterprise" && (status === "inProgress" || status === "completed")) expect(actions).not.toContain("view")
  })
})
