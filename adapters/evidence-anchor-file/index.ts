/**
 * Anchor to an append-only file (one JSON line per checkpoint): the simplest
 * witness, meant to be mirrored or published (a web directory, a git repo).
 * A ledger adapter implements the same `Anchor` port.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs"
import { createHash } from "node:crypto"
import { Effect, Layer } from "effect"
import { Anchor, AnchorFailed, type AnchorShape } from "../../core/ports/Anchor.ts"

export const makeFileAnchor = (path: string): AnchorShape => ({
  name: `file:${path}`,
  anchor: (note, size) =>
    Effect.try({
      try: () => {
        const line = existsSync(path) ? readFileSync(path, "utf8").split("\n").filter((l) => l.length > 0).length + 1 : 1
        const sha256 = createHash("sha256").update(note).digest("hex")
        appendFileSync(path, `${JSON.stringify({ size, sha256, note })}\n`, { mode: 0o644 })
        return { reference: `file:${path}#${line}` }
      },
      catch: (e) => new AnchorFailed({ reason: String(e) }),
    }),
})

export const layer = (path: string) => Layer.succeed(Anchor, makeFileAnchor(path))
