import { Context, type Effect, type Option } from "effect"
import type { OrgTemplate } from "../contracts/OrgTemplate.ts"
import type { RepositoryError } from "../kernel/errors.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

/** Enterprises' contract templates (模板). */
export class TemplateRepository extends Context.Service<TemplateRepository, {
  /** The enterprise's templates not deleted, newest first. */
  readonly ofEnterprise: (enterpriseId: string) => Op<ReadonlyArray<OrgTemplate>>
  /** A template of that enterprise (deleted ones too: callers decide). */
  readonly find: (enterpriseId: string, id: string) => Op<Option.Option<OrgTemplate>>
  readonly insert: (template: OrgTemplate) => Op<void>
  /** Saves name, fields, boxes, updatedAt and deletedAt; false when the row was not there. */
  readonly update: (template: OrgTemplate) => Op<boolean>
}>()("core/ports/TemplateRepository") {}
