import { createHash, randomBytes } from "node:crypto"
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect, Layer, Option } from "effect"
import { BlobStore, BlobStoreError } from "../../core/ports/BlobStore.ts"

const HEX = /^[0-9a-f]{64}$/

/**
 * BlobStore on the filesystem: `<root>/ab/cd/abcd…` named by SHA-256. Writes go
 * to a temporary file first and are renamed into place, so a crash never
 * leaves a half-written blob under a valid name. The root is outside any web
 * root; files are only served through access-checked routes.
 */
export const layer = (root: string) => {
  /**
   * The two-level directories this store made (or found made): at most 65,536 of them, so the set is bounded. A write
   * into one of them skips the mkdir (issue 23: it was a system call per blob); one removed behind the store's back is
   * made again when the write finds it missing.
   */
  const made = new Set<string>()
  const writeIn = async (dir: string, tmp: string, bytes: Uint8Array) => {
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true, mode: 0o700 })
      made.add(dir)
    }
    try {
      await writeFile(tmp, bytes, { mode: 0o600 })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e
      made.delete(dir)
      await mkdir(dir, { recursive: true, mode: 0o700 })
      made.add(dir)
      await writeFile(tmp, bytes, { mode: 0o600 })
    }
  }
  return Layer.succeed(BlobStore, {
    put: (bytes) =>
      Effect.tryPromise({
        try: async () => {
          const sha256 = createHash("sha256").update(bytes).digest("hex")
          const dir = join(root, sha256.slice(0, 2), sha256.slice(2, 4))
          const tmp = join(dir, `.${sha256}.${randomBytes(6).toString("hex")}.tmp`)
          await writeIn(dir, tmp, bytes)
          await rename(tmp, join(dir, sha256))
          return sha256
        },
        catch: (cause) => new BlobStoreError({ operation: "put", cause }),
      }),
    size: (sha256) =>
      !HEX.test(sha256)
        ? Effect.succeedNone
        : Effect.tryPromise({
          try: async () => {
            try {
              return Option.some((await stat(join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256))).size)
            } catch (e) {
              if ((e as NodeJS.ErrnoException).code === "ENOENT") return Option.none<number>()
              throw e
            }
          },
          catch: (cause) => new BlobStoreError({ operation: "size", cause }),
        }),
    get: (sha256) =>
      !HEX.test(sha256)
        ? Effect.succeedNone
        : Effect.tryPromise({
          try: async () => {
            try {
              return Option.some(new Uint8Array(await readFile(join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256))))
            } catch (e) {
              if ((e as NodeJS.ErrnoException).code === "ENOENT") return Option.none<Uint8Array>()
              throw e
            }
          },
          catch: (cause) => new BlobStoreError({ operation: "get", cause }),
        }),
    delete: (sha256) =>
      !HEX.test(sha256)
        ? Effect.void
        : Effect.tryPromise({
          try: () => rm(join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256), { force: true }),
          catch: (cause) => new BlobStoreError({ operation: "delete", cause }),
        }),
  })
}
