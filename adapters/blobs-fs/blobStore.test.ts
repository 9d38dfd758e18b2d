import { createHash } from "node:crypto"
import { mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { BlobStore } from "../../core/ports/BlobStore.ts"
import { layer } from "./index.ts"

const root = mkdtempSync(join(tmpdir(), "signet-blobs-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const run = <A, E>(e: Effect.Effect<A, E, BlobStore>) => Effect.runPromise(Effect.provide(e, layer(root)))

describe("filesystem blob store", () => {
  it("keeps bytes under their SHA-256, once, and gives them back", async () => {
    const bytes = new TextEncoder().encode("盖章的授权书")
    const key = await run(BlobStore.use((b) => b.put(bytes)))
    expect(key).toBe(createHash("sha256").update(bytes).digest("hex"))
    expect(await run(BlobStore.use((b) => b.put(bytes)))).toBe(key)
    expect(readdirSync(join(root, key.slice(0, 2), key.slice(2, 4)))).toEqual([key])
    expect(Option.getOrThrow(await run(BlobStore.use((b) => b.get(key))))).toEqual(bytes)
  })

  it("an unknown key or a path-like key is simply absent", async () => {
    expect(Option.isNone(await run(BlobStore.use((b) => b.get("0".repeat(64)))))).toBe(true)
    expect(Option.isNone(await run(BlobStore.use((b) => b.get("../../etc/passwd"))))).toBe(true)
  })
})
