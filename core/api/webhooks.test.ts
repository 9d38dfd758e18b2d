import { describe, expect, it } from "vitest"
import { Contract, Party } from "../contracts/Contract.ts"
import type { NumericId, UserId } from "../kernel/Ids.ts"
import type { Mobile } from "../kernel/Mobile.ts"
import { contractEvents } from "./webhooks.ts"

const party = (index: number, status: Party["status"]) =>
  new Party({ index, name: `p${index}`, mobile: `1390000000${index}` as Mobile, status, actedAt: null, lastRemindedAt: null, viewedAt: null })

const contract = (status: Contract["status"], parties: ReadonlyArray<Party["status"]>) =>
  new Contract({
    id: "1800000000000000001" as NumericId, name: "c", initiatorUserId: "1800000000000000009" as UserId, mode: "simultaneous", deadline: 9e12, status,
    parties: parties.map((s, i) => party(i, s)), fields: [], documentSha256: "0".repeat(64), documentVersion: 0, createdAt: 1, sentAt: null, endedAt: null,
    rejectionReason: null, revision: 0,
  })

describe("contractEvents: the webhook events a contract write amounts to", () => {
  it.each([
    ["sent", contract("draft", ["waiting", "waiting"]), contract("inProgress", ["waiting", "waiting"]), [{ type: "contract.sent" }]],
    ["one party signs", contract("inProgress", ["waiting", "waiting"]), contract("inProgress", ["signed", "waiting"]), [{ type: "contract.signed", party: 0 }]],
    ["the last party signs", contract("inProgress", ["signed", "waiting"]), contract("completed", ["signed", "signed"]), [{ type: "contract.signed", party: 1 }, { type: "contract.completed" }]],
    ["a party rejects", contract("inProgress", ["waiting", "waiting"]), contract("rejected", ["waiting", "rejected"]), [{ type: "contract.rejected", party: 1 }]],
    ["revoked", contract("inProgress", ["signed", "waiting"]), contract("revoked", ["signed", "waiting"]), [{ type: "contract.revoked" }]],
    ["expired", contract("inProgress", ["waiting", "waiting"]), contract("expired", ["waiting", "waiting"]), [{ type: "contract.expired" }]],
    ["viewed or reminded: nothing", contract("inProgress", ["waiting", "waiting"]), contract("inProgress", ["waiting", "waiting"]), []],
  ] as const)("%s", (_, before, after, expected) => {
    expect(contractEvents(before, after)).toEqual(expected)
  })
})
