/**
 * Public read API of the evidence log (no login): the log's key, signed
 * checkpoints, inclusion and consistency proofs, so anyone can monitor the
 * log and check bundles against it. Proofs hold only hashes. Behind log-in,
 * `/evidence/mine` downloads the user's own evidence bundle.
 */
import { Hono } from "hono"
import { Schema } from "effect"
import { Hex } from "effect/encoding"
import { getCheckpoint, logVerifierKey } from "../../../core/evidence/checkpoint.ts"
import { exportBundle } from "../../../core/evidence/exportBundle.ts"
import { currentUser, requireUser } from "./account.tsx"
import { consistencyProof, inclusionProof } from "../../../core/evidence/tree.ts"
import { failureOf } from "../../platform/http/runner.ts"
import type { WebDeps, WebEnv } from "../context.tsx"

const Count = Schema.NumberFromString.pipe(Schema.check(Schema.isInt(), Schema.isGreaterThanOrEqualTo(0)))
const InclusionQuery = Schema.Struct({ index: Count, size: Count })
const ConsistencyQuery = Schema.Struct({ from: Count, to: Count })

const messages = {
  badQuery: "参数无效：请提供非负整数",
  outOfRange: "请求的序号或树大小超出日志范围",
  noCheckpoint: "尚无该大小的检查点",
} as const

export const evidenceRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  const text = (body: string) => new Response(body, { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } })

  app.get("/key", async () => text(`${await deps.run(logVerifierKey)}\n`))

  app.get("/checkpoint/:size?", async (c) => {
    const raw = c.req.param("size")
    const size = raw === undefined ? undefined : Schema.decodeUnknownOption(Count)(raw)
    if (size !== undefined && size._tag === "None") return c.json({ error: messages.badQuery }, 400)
    const exit = await deps.exit(getCheckpoint(size?.value))
    if (exit._tag === "Success") return text(exit.value.note)
    if (failureOf(exit)?._tag === "NoCheckpoint") return c.json({ error: messages.noCheckpoint }, 404)
    throw new Error("evidence checkpoint lookup failed")
  })

  app.get("/proof/inclusion", async (c) => {
    const q = Schema.decodeUnknownOption(InclusionQuery)(c.req.query())
    if (q._tag === "None") return c.json({ error: messages.badQuery }, 400)
    const exit = await deps.exit(inclusionProof(q.value.index, q.value.size))
    if (exit._tag === "Success") return c.json({ index: q.value.index, size: q.value.size, proof: exit.value.map((h) => Hex.encode(h)) })
    if (failureOf(exit)?._tag === "TreeSizeOutOfRange") return c.json({ error: messages.outOfRange }, 404)
    throw new Error("inclusion proof failed")
  })

  app.get("/proof/consistency", async (c) => {
    const q = Schema.decodeUnknownOption(ConsistencyQuery)(c.req.query())
    if (q._tag === "None") return c.json({ error: messages.badQuery }, 400)
    const exit = await deps.exit(consistencyProof(q.value.from, q.value.to))
    if (exit._tag === "Success") return c.json({ from: q.value.from, to: q.value.to, proof: exit.value.map((h) => Hex.encode(h)) })
    if (failureOf(exit)?._tag === "TreeSizeOutOfRange") return c.json({ error: messages.outOfRange }, 404)
    throw new Error("consistency proof failed")
  })
  // The logged-in user's own history, openings included (it is their data): the file `signet evidence verify` checks.
  app.get("/mine", requireUser, async (c) => {
    const user = currentUser(c)
    const bundle = await deps.run(exportBundle(`user:${user.id}`, { withOpenings: true }))
    return new Response(`${JSON.stringify(bundle, null, 2)}\n`, {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="evidence-user-${user.id}.json"`,
        "cache-control": "no-store",
      },
    })
  })
  return app
}
