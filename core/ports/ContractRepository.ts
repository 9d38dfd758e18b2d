import { Context, type Effect, type Option, Schema } from "effect"
import type { Contract, ContractHistoryEntry } from "../contracts/Contract.ts"
import type { RepositoryError } from "../kernel/errors.ts"
import type { NumericId } from "../kernel/Ids.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

/**
 * A list's total is counted up to this many (issue 23: the cost of a page must not grow with the history); a total
 * at the cap means "this many or more" (the pages show 9,999+).
 */
export const LIST_TOTAL_CAP = 10_000

/** List pages reached by number (OFFSET) at most: the 上一页 links of the first pages; past them a page starts from a cursor. */
export const MAX_OFFSET_PAGE = 100

/** Keyset pagination: the page after this contract in the list order (creation time, then number, newest first). */
export interface ListCursor {
  readonly createdAt: number
  readonly id: string
}

/** A cursor as it travels in a page's link or an API answer: `<created, epoch ms>-<number>`. */
export const CursorText = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{1,15}-[1-9]\d{18}$/, { message: "cursor.invalid" })))
export const cursorText = (c: ListCursor): string => `${c.createdAt}-${c.id}`
/** The cursor of a text CursorText accepted. */
export const cursorOf = (text: string): ListCursor => {
  const dash = text.indexOf("-")
  return { createdAt: Number(text.slice(0, dash)), id: text.slice(dash + 1) }
}

export interface ContractListQuery {
  /**
   * Contracts this mobile number is a party of as a person, or that this user
   * initiated. (An enterprise party's mobile is only whom it is texted to: the
   * contract is listed to the enterprise, C10.)
   */
  readonly mobile: string
  readonly userId: string
  /**
   * The enterprises the user still acts for: a contract they initiated for
   * any other enterprise (one that deactivated them) is not theirs to list
   * (issue 16). Every contract they initiated when absent (see `myContracts`).
   */
  readonly actingFor?: ReadonlyArray<string> | undefined
  /** Only these statuses; when absent, every status but draft. */
  readonly status?: ReadonlyArray<Contract["status"]> | undefined
  /**
   * C7 tabs: "needsMe" = running contracts where this mobile's party may sign now
   * (waiting, and in sequential mode no party ahead still waiting); "waitingOthers" =
   * running contracts not needing me; "expiringSoon" = running with a deadline before `soonBefore`;
   * "drafts" = this user's own drafts (a draft is never listed to its parties).
   */
  readonly tab?: "needsMe" | "waitingOthers" | "expiringSoon" | "drafts" | undefined
  readonly soonBefore?: number | undefined
  /** C7 search: part of the contract name, the sender's name or mobile, or the sending enterprise's name. */
  readonly search?: string | undefined
  /** Created at or after / before these times (epoch ms). */
  readonly createdFrom?: number | undefined
  readonly createdBefore?: number | undefined
  /** Only contracts after this one in the list order (keyset pagination; `offset` then counts from it). */
  readonly after?: ListCursor | undefined
  readonly limit: number
  readonly offset: number
}

/**
 * C10 enterprise contract management: the contracts an enterprise initiated
 * or is a party of (never drafts), seen from some of its branches.
 */
export interface EnterpriseContractQuery {
  readonly enterpriseId: string
  /**
   * Only contracts initiated at, or signed for the enterprise by, one of these
   * branches (a branch admin's subtree, E4); every branch when absent.
   */
  readonly branchIds?: ReadonlyArray<string> | undefined
  /** Only these statuses; every status but draft when absent. */
  readonly status?: ReadonlyArray<Contract["status"]> | undefined
  /** Only contracts that this other enterprise is also a party of, or initiated (P1: a provider's contracts with the owner). */
  readonly counterpartEnterpriseId?: string | undefined
  /** Only contracts initiated by this member (P3 合同创建人). */
  readonly initiatorUserId?: string | undefined
  /** Part of the contract name, its number, or the name of an enterprise or person on it (P3: 服务商名称). */
  readonly search?: string | undefined
  readonly createdFrom?: number | undefined
  readonly createdBefore?: number | undefined
  /** Only contracts after this one in the list order (keyset pagination; `offset` then counts from it). */
  readonly after?: ListCursor | undefined
  readonly limit: number
  readonly offset: number
}

/**
 * What contracts need to know of an enterprise (its name on the contract,
 * whom to text for it). Read here rather than through EnterpriseRepository so
 * that contracts run on `layerRepositories` alone (embedders, examples/embed-core.ts).
 */
export interface EnterpriseRef {
  readonly id: string
  readonly name: string
  readonly creditCode: string
  readonly adminUserId: string
}

/** A row of the C10 enterprise lists: an enterprise's branch on a contract, one per enterprise primary (the core decides: `contractBranches`). */
export interface ContractBranch {
  readonly enterpriseId: string
  readonly branchId: string
  readonly primary: boolean
}

export class ContractRepository extends Context.Service<ContractRepository, {
  /** Stores a new contract and its enterprise list rows (`branches`, from core/contracts/contractBranches.ts). */
  readonly insert: (contract: Contract, branches: ReadonlyArray<ContractBranch>) => Op<void>
  readonly find: (id: NumericId) => Op<Option.Option<Contract>>
  /** Several contracts at once (a page of a list: one round of queries, not one per contract), in the order of `ids`; unknown ids are left out. */
  readonly findMany: (ids: ReadonlyArray<NumericId>) => Op<ReadonlyArray<Contract>>
  /**
   * Writes the contract (and, while it is a draft, its party list, which may
   * grow or shrink) if its stored revision is still `contract.revision - 1`;
   * false when someone else changed it first (the caller reloads and retries).
   * Its enterprise list rows become `branches`. Given `previous` (the contract as read at that revision), rows that did
   * not change are left alone (a signature rewrites one party's row, not all).
   */
  readonly save: (contract: Contract, branches: ReadonlyArray<ContractBranch>, previous?: Contract) => Op<boolean>
  /** Deletes a draft with its parties, versions and history; false when it is not (or no longer) a draft. */
  readonly removeDraft: (id: NumericId) => Op<boolean>
  /** C7: newest first, with the total (up to LIST_TOTAL_CAP). */
  readonly list: (query: ContractListQuery) => Op<{ readonly items: ReadonlyArray<Contract>; readonly total: number }>
  /** C10: an enterprise's contracts, newest first, with the total (up to LIST_TOTAL_CAP). */
  readonly listForEnterprise: (query: EnterpriseContractQuery) => Op<{ readonly items: ReadonlyArray<Contract>; readonly total: number }>
  /** Who initiated the enterprise's contracts (P3 合同创建人 filter): distinct initiator user ids, at most `limit`. */
  readonly initiatorsOf: (enterpriseId: string, limit: number) => Op<ReadonlyArray<string>>
  /**
   * C1 parties by enterprise name: the verified enterprises with exactly this
   * name (an enterprise exists only once approved, V4), oldest first.
   */
  readonly enterprisesNamed: (name: string) => Op<ReadonlyArray<EnterpriseRef>>
  readonly enterpriseRef: (id: string) => Op<Option.Option<EnterpriseRef>>
  /** Records a document version (its SHA-256) of a contract. */
  readonly addVersion: (contractId: NumericId, version: number, sha256: string, at: number) => Op<void>
  readonly versions: (contractId: NumericId) => Op<ReadonlyArray<{ readonly version: number; readonly sha256: string; readonly at: number }>>
  /** Running contracts whose deadline is at or before `now`, oldest deadline first. */
  readonly dueForExpiry: (now: number, limit: number) => Op<ReadonlyArray<Contract>>
  /** Completed contracts by number (ascending), after `after` when given (keyset: the archive renewal walks them all in pages). */
  readonly completedAfter: (after: NumericId | undefined, limit: number) => Op<ReadonlyArray<Contract>>
  readonly addHistory: (entry: ContractHistoryEntry) => Op<void>
  readonly history: (contractId: NumericId) => Op<ReadonlyArray<ContractHistoryEntry>>
}>()("core/ports/ContractRepository") {}
