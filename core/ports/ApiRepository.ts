import { Context, type Effect, type Option } from "effect"
import type { Contract } from "../contracts/Contract.ts"
import type { RepositoryError } from "../kernel/errors.ts"
import type { ListCursor } from "./ContractRepository.ts"
import type { ApiKey, ApiKeyId, StoredResponse } from "../api/Api.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

export interface EnterpriseContractQuery {
  readonly enterpriseId: string
  readonly status?: ReadonlyArray<Contract["status"]> | undefined
  readonly nameContains?: string | undefined
  /** Created at or after / before (epoch ms). */
  readonly createdFrom?: number | undefined
  readonly createdBefore?: number | undefined
  /** Only contracts after this one in the list order (keyset pagination, issue 23). */
  readonly after?: ListCursor | undefined
  readonly limit: number
  readonly offset: number
}

/** What an idempotency key holds when a request with it arrives. */
export type IdempotencyBegin =
  | { readonly _tag: "Started" }
  | { readonly _tag: "Replay"; readonly response: StoredResponse }
  | { readonly _tag: "Mismatch" }
  | { readonly _tag: "InProgress" }

/** API keys, nonces, idempotency records, and which enterprise each API contract belongs to (P4). */
export class ApiRepository extends Context.Service<ApiRepository, {
  readonly insertKey: (key: ApiKey) => Op<void>
  readonly findKey: (id: ApiKeyId) => Op<Option.Option<ApiKey>>
  /** The enterprise's keys, newest first (revoked ones included). */
  readonly listKeys: (enterpriseId: string) => Op<ReadonlyArray<ApiKey>>
  /** False when the key is not the enterprise's or already revoked. */
  readonly revokeKey: (id: ApiKeyId, enterpriseId: string, at: number) => Op<boolean>
  readonly touchKey: (id: ApiKeyId, at: number) => Op<void>
  /** Records a nonce; false when this key used it before (a replay). */
  readonly useNonce: (keyId: ApiKeyId, nonce: string, at: number) => Op<boolean>
  /**
   * Claims an idempotency key for a request (by its hash), or says what it
   * already holds. A claim still in progress that began before
   * `takeOverBefore` is taken over (its process died): Started, for this request.
   */
  readonly beginIdempotent: (keyId: ApiKeyId, idempotencyKey: string, requestSha256: string, at: number, takeOverBefore: number) => Op<IdempotencyBegin>
  readonly finishIdempotent: (keyId: ApiKeyId, idempotencyKey: string, response: StoredResponse) => Op<void>
  /** Frees a claimed key whose request failed unexpectedly, so a retry runs it again. */
  readonly abandonIdempotent: (keyId: ApiKeyId, idempotencyKey: string) => Op<void>
  /** Forgets nonces and idempotency records older than `before` (the window has long passed). */
  readonly purge: (before: number) => Op<void>
  /** Marks a contract as initiated for an enterprise (through its API key). */
  readonly assignContract: (contractId: string, enterpriseId: string, apiKeyId: ApiKeyId | null, at: number) => Op<void>
  readonly enterpriseOf: (contractId: string) => Op<Option.Option<string>>
  /** Ids of the enterprise's contracts matching the filters, newest first, and how many match. */
  readonly listContracts: (query: EnterpriseContractQuery) => Op<{ readonly ids: ReadonlyArray<string>; readonly total: number; readonly next: ListCursor | undefined }>
}>()("core/api/ApiRepository") {}
