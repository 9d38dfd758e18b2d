import { createHash } from "node:crypto"
import { mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { BlobStore } from "../../core/ports/BlobStore.ts"
import { blobStoreContract } from "../../fixtures/contracts/BlobStore.contract.ts"
import { layer } from "./index.ts"

const root = mkdtempSync(join(tmpdir(), "signet-blobs-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

blobStoreContract("filesystem", () => layer(root))

describe("filesystem blob store", () => {
  it("keeps one file per content, named by its SHA-256", async () => {
    const bytes = new TextEncoder().encode("一份文件")
    const key = await Effect.runPromise(Effect.provide(BlobStore.use((b) => Effect.andThen(b.put(bytes), b.put(bytes))), layer(root)))
    expect(key).toBe(createHash("sha256").update(bytes).digest("hex"))
    expect(readdirSync(join(root, key.slice(0, 2), key.slice(2, 4)))).toEqual([key])
  })

  it("writes into a directory it made once without making it again, and makes it again when it was removed meanwhile", async () => {
    const store = layer(root)
    const put = (text: string) => Effect.runPromise(Effect.provide(BlobStore.use((b) => b.put(new TextEncoder().encode(text))), store))
    const first = await put("第一份")
    rmSync(join(root, first.slice(0, 2)), { recursive: true, force: true })
    // The same content again: its directory is gone, and the store remembers having made it.
    expect(await put("第一份")).toBe(first)
    expect(readdirSync(join(root, first.slice(0, 2), first.slice(2, 4)))).toEqual([first])
    expect(await Effect.runPromise(Effect.provide(BlobStore.use((b) => b.get(first)), store))).toEqual(Option.some(new TextEncoder().encode("第一份")))
  })
})
