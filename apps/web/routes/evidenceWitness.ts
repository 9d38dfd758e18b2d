/**
 * `POST /evidence/log/witness`: where witnesses hand in their cosignatures of
 * our checkpoints (C2SP tlog-cosignature). Machine to machine, JSON, no
 * cookies: mounted before the portal's CSRF check, which is for browsers.
 * Authenticity comes from the Ed25519 signature of a configured witness key.
 */
import { Hono } from "hono"
import { bodyLimit } from "hono/body-limit"
import { Schema } from "effect"
import { acceptCosignature } from "../../../core/evidence/witness.ts"
import { failureOf } from "../../platform/http/runner.ts"
import type { WebDeps } from "../context.tsx"

const Body = Schema.Struct({
  /** The checkpoint cosigned: its text, or the whole signed note as served by /evidence/checkpoint. */
  checkpoint: Schema.String.pipe(Schema.check(Schema.isMaxLength(8192))),
  /** The witness's signature line "— name base64(keyID || timestamp || signature)". */
  cosignature: Schema.String.pipe(Schema.check(Schema.isMaxLength(1024))),
})

export const evidenceWitnessRoutes = (deps: WebDeps) => {
  const app = new Hono()
  app.use("*", bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.json({ error: "请求体过大" }, 413) }))
  app.post("/witness", async (c) => {
    const json = await c.req.json().catch(() => undefined)
    const body = Schema.decodeUnknownOption(Body)(json)
    if (body._tag === "None") return c.json({ error: "请求体须为 JSON：{ checkpoint, cosignature }" }, 400)
    const exit = await deps.exit(acceptCosignature(body.value.checkpoint, body.value.cosignature))
    if (exit._tag === "Success") return c.json(exit.value, exit.value.stored ? 201 : 200)
    const failure = failureOf(exit)
    switch (failure?._tag) {
      case "WitnessUnknown":
        return c.json({ error: `未配置的见证方：${failure.name}` }, 403)
      case "CosignatureInvalid":
        return c.json({ error: `联署无效：${failure.reason}` }, 422)
      case "CheckpointNotIssued":
        return c.json({ error: `本日志从未签发该检查点（大小 ${failure.size}）` }, 409)
      default:
        throw new Error("witness cosignature could not be stored")
    }
  })
  return app
}
