import { JsonSchema, Schema, SchemaRepresentation } from "effect"
import { WEBHOOK_EVENTS } from "../../core/api/Api.ts"
import { WINDOW_SECONDS } from "../../core/api/authenticate.ts"
import { WebhookEvent } from "../../core/api/resources.ts"
import { operations, type Operation } from "./operations.ts"
import { Problem } from "./schemas.ts"

type Json = { [key: string]: unknown }

const STATUS_TITLES: Record<number, string> = {
  400: "Malformed body", 401: "Authentication failed", 403: "Not authorized (auto-signing outside its authorization)", 404: "Not found", 409: "Conflict with the contract's state",
  410: "Expired (a prepared signature after 10 minutes)",
  413: "Body too large", 415: "Unsupported media type", 422: "Invalid input", 429: "Too many requests", 503: "Busy, retry",
}

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the operation table and
 * the very Schemas the routes decode with (Effect's JSON Schema generation,
 * draft 2020-12 = OpenAPI 3.1's dialect). Named schemas become components.
 */
export const openApiDocument = (serverUrl: string): Json => {
  const slots: Array<Schema.Top> = []
  const slot = (s: Schema.Top) => slots.push(s) - 1
  const plan = operations.map((op) => ({
    op,
    params: op.params === undefined ? undefined : slot(op.params),
    query: op.query === undefined ? undefined : slot(op.query),
    json: op.body?.json === undefined ? undefined : slot(op.body.json),
    multipart: op.body?.multipart === undefined ? undefined : slot(op.body.multipart),
    success: op.success.json === undefined ? undefined : slot(op.success.json),
  }))
  const problemSlot = slot(Problem)
  const webhookSlot = slot(WebhookEvent)
  const multi = JsonSchema.toMultiDocumentOpenApi3_1(SchemaRepresentation.toJsonSchemaMultiDocument(
    SchemaRepresentation.toRepresentations(slots.map((s) => Schema.toCodecJson(s).ast) as [never, ...Array<never>]),
    { onExcessProperty: "ignore" },
  ))
  const schemaAt = (i: number) => multi.schemas[i] as Json
  const parameters = (i: number | undefined, where: "path" | "query") => {
    if (i === undefined) return []
    const s = schemaAt(i) as { properties?: Record<string, Json>; required?: ReadonlyArray<string> }
    return Object.entries(s.properties ?? {}).map(([name, schema]) => ({
      name, in: where, required: where === "path" || (s.required ?? []).includes(name), schema,
      ...(typeof schema.description === "string" ? { description: schema.description } : {}),
    }))
  }
  const problemResponse = (status: number) => ({ description: STATUS_TITLES[status] ?? "Problem", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } })
  const paths: Record<string, Record<string, Json>> = {}
  for (const p of plan) {
    const op: Operation = p.op
    const content: Json = {}
    if (p.json !== undefined) content["application/json"] = { schema: schemaAt(p.json) }
    if (p.multipart !== undefined) {
      content["multipart/form-data"] = {
        schema: { type: "object", required: ["contract", "document"], properties: { contract: schemaAt(p.multipart), document: { type: "string", contentMediaType: "application/pdf" } } },
        encoding: { contract: { contentType: "application/json" }, document: { contentType: "application/pdf" } },
      }
    }
    const responses: Record<string, Json> = {
      [String(op.success.status)]: {
        description: op.success.description,
        content: p.success !== undefined ? { "application/json": { schema: schemaAt(p.success) } } : { [op.success.media ?? "application/octet-stream"]: { schema: { type: "string", contentMediaType: op.success.media } } },
      },
    }
    for (const status of [...new Set([401, 429, ...op.problems])].sort()) responses[String(status)] = problemResponse(status)
    ;(paths[op.path] ??= {})[op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description === undefined ? {} : { description: op.description }),
      parameters: [
        ...parameters(p.params, "path"),
        ...parameters(p.query, "query"),
        ...(op.idempotent ? [{ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 100 }, description: "Same key + same body: the first response again; another body: 422 idempotency_key_reused" }] : []),
      ],
      ...(op.body === undefined ? {} : { requestBody: { required: op.body.required, content } }),
      responses,
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Signet partner API",
      version: "1.0.0",
      description: [
        "Contracts of the API key's enterprise: create (upload or template), status, list, signed PDF, evidence bundle, revoke, remind;",
        "sign as the enterprise with a key it holds (signatures:prepare / signatures:complete) or with a seal authorized for auto-signing (signatures:auto).",
        `Every request is signed: Authorization: SIGNET-HMAC-SHA256 Credential=<key id>, Timestamp=<unix seconds>, Nonce=<16-64 chars [A-Za-z0-9_-]>, Signature=<hex>,`,
        "where Signature = HMAC-SHA256(secret, METHOD \\n PATH?QUERY \\n TIMESTAMP \\n NONCE \\n hex SHA-256 of the body).",
        `The timestamp must be within ${WINDOW_SECONDS / 60} minutes of the server's clock; a nonce is accepted once per key. Errors are RFC 9457 problem+json with a stable code.`,
      ].join("\n"),
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ signetHmac: [] }],
    paths,
    webhooks: Object.fromEntries(WEBHOOK_EVENTS.map((type) => [type, {
      post: {
        summary: `${type} (signed: Signet-Signature: t=<unix s>,v1=<hex HMAC-SHA256(endpoint secret, "<t>.<body>")>)`,
        requestBody: { required: true, content: { "application/json": { schema: schemaAt(webhookSlot) } } },
        responses: { "200": { description: "Any 2xx acknowledges the event; anything else is retried with exponential backoff for 24 h" } },
      },
    }])),
    components: {
      schemas: { ...(multi.definitions as Json), Problem: schemaAt(problemSlot).$ref === undefined ? schemaAt(problemSlot) : (multi.definitions as Json).Problem },
      securitySchemes: { signetHmac: { type: "apiKey", in: "header", name: "Authorization", description: "SIGNET-HMAC-SHA256 request signature (see the description above)" } },
    },
  }
}
