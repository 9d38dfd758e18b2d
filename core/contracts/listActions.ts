/**
 * The manual's contract lists (C6, C7, C10, P3): each row's status as the
 * manual names it, and the actions a row offers by state and by who looks
 * ("签约 提醒 撤销 查看"; in an enterprise's 合同管理 刷新 while a contract is
 * being signed and 下载合同 once done, in place of 查看). One pure function decides, every list renders it;
 * each act is checked again when it is asked for (access.ts, contractActs.ts).
 */
import { isEnterpriseParty, machineState, type Contract } from "./Contract.ts"
import { partiesDue } from "./contractMachine.ts"

/**
 * 待签署: sent, nobody has signed yet; 正在签署: some have signed; then
 * 已完成 / 已拒签 / 已撤销 / 已过期 (and 草稿 before sending).
 */
export type ListStatus = "draft" | "pending" | "signing" | "completed" | "rejected" | "revoked" | "expired"

export const listStatus = (c: Pick<Contract, "status" | "parties">): ListStatus =>
  c.status === "inProgress" ? (c.parties.some((p) => p.status === "signed") ? "signing" : "pending") : c.status

/** 继续编辑, 签约, 提醒, 撤销, 查看, 刷新, 下载合同, 移交. */
export type RowAction = "edit" | "sign" | "remind" | "revoke" | "view" | "refresh" | "download" | "handOver"

/** Who looks at the row, as far as a list knows without asking the database again. */
export interface RowViewer {
  /** The viewer's mobile: their person party. */
  readonly mobile: string
  /** Enterprises the viewer is an active member of: they may be asked to sign for their parties (the sign page says whether they can). */
  readonly enterpriseIds: ReadonlyArray<string>
  /** The viewer holds the initiator's rights (提醒, 撤销). */
  readonly initiator: boolean
  /** Which list: 我的签约 (personal) or an enterprise's 合同管理 (enterprise). */
  readonly list: "personal" | "enterprise"
  /** The enterprise list lets this viewer hand the contract to another agent (移交). */
  readonly mayHandOver?: boolean | undefined
}

/** The actions of one row, in the manual's order. */
export const rowActions = (c: Contract, viewer: RowViewer): ReadonlyArray<RowAction> => {
  if (c.status === "draft") return viewer.initiator ? ["edit"] : []
  const out: Array<RowAction> = []
  const live = c.status === "inProgress"
  if (live) {
    const due = new Set(partiesDue(machineState(c)))
    const mine = c.parties.some((p) =>
      due.has(String(p.index)) && (isEnterpriseParty(p) ? viewer.enterpriseIds.includes(p.enterpriseId) : p.mobile === viewer.mobile))
    if (mine) out.push("sign")
    if (viewer.initiator && c.parties.some((p) => p.status === "waiting")) out.push("remind")
    if (viewer.initiator) out.push("revoke")
    if (viewer.list === "enterprise") out.push("refresh")
  }
  if (c.status === "completed") out.push("download")
  // 我的签约 offers 查看 on every row; an enterprise's 合同管理 shows 刷新 (in progress) or 下载合同 (done)
  // in its place, as the manual does, and the contract's name leads to its page.
  if (viewer.list === "personal" || !(live || c.status === "completed")) out.push("view")
  if (viewer.mayHandOver === true) out.push("handOver")
  return out
}
