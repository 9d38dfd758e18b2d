import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { layer as layerCrypto } from "../crypto-node/index.ts"
import { layerEphemeral } from "../evidence-ed25519/index.ts"
import { layerEvidenceRepositories } from "../sql/evidence.ts"
import { layerSqlite, migrated } from "../sql/index.ts"
import { layerUnitOfWork } from "../sql/unitOfWork.ts"
import { publish } from "../../core/evidence/checkpoint.ts"
import { recordEvent } from "../../core/evidence/recordEvent.ts"
import { Anchor, AnchorFailed } from "../../core/ports/Anchor.ts"
import { IdGenerator } from "../../core/ports/IdGenerator.ts"
import { TEST_EPOCH } from "../../fixtures/layers.ts"
import { layer as layerFileAnchor } from "./index.ts"

const stack = (anchor: Layer.Layer<Anchor>) =>
  Layer.mergeAll(layerEvidenceRepositories, layerUnitOfWork).pipe(
    Layer.provideMerge(migrated(layerSqlite(":memory:"))),
    Layer.provideMerge(Layer.mergeAll(layerCrypto, IdGenerator.layerSnowflake(4), layerEphemeral("anchor.test/evidence"), anchor)),
  )
const file = join(mkdtempSync(join(tmpdir(), "signet-anchor-")), "checkpoints.jsonl")
const event = (id: string) => recordEvent({ type: "user.registered", subjectId: id, role: "user" })

describe("file anchor", () => {
  it.layer(stack(layerFileAnchor(file)))((it) => {
    it.effect("each new checkpoint is appended to the file; nothing new, nothing anchored", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        yield* event("1000000000000000011")
        const first = yield* publish()
        expect(first.anchor).toBe(`file:${file}#1`)
        expect((yield* publish()).anchor).toBeNull()
        yield* event("1000000000000000012")
        const second = yield* publish()
        expect(second.anchor).toBe(`file:${file}#2`)
        const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { size: number; note: string })
        expect(lines.map((l) => [l.size, l.note])).toEqual([[1, first.checkpoint.note], [2, second.checkpoint.note]])
      }))
  })

  it.layer(stack(Layer.succeed(Anchor, { name: "down", anchor: () => Effect.fail(new AnchorFailed({ reason: "ledger unreachable" })) })))((it) => {
    it.effect("an anchor that fails does not stop the checkpoint", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        yield* event("1000000000000000013")
        const r = yield* publish()
        expect([r.issued, r.anchor]).toEqual([true, "failed: ledger unreachable"])
      }))
  })
})
