import { Schema } from "effect"

/** A storage adapter failed (connection lost, constraint the core did not expect). */
export class RepositoryError extends Schema.TaggedError<RepositoryError>()("RepositoryError", {
  operation: Schema.String,
  cause: Schema.Defect(),
}) {}

/** The actor may not do this to this resource (or it does not exist for them). */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  reason: Schema.String,
}) {}

/** A resource looked up by id does not exist, or is not visible to the actor. */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  entity: Schema.String,
  id: Schema.String,
}) {}
