import { createHash, randomBytes } from "node:crypto"
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect, Layer, Option } from "effect"
import { BlobStore, BlobStoreError } from "../../core/ports/BlobStore.ts"

const HEX = /^[0-9a-f]{64}$/

/** Blobs kept in memory after they are written: how many, up to how many bytes in all, and for how long. */
const RECENT_MAX = 8
const RECENT_MAX_BYTES = 8 * 1024 * 1024
const RECENT_MS = 60_000

/**
 * BlobStore on the filesystem: `<root>/ab/cd/abcd…` named by SHA-256. Writes go
 * to a temporary file first and are renamed into place, so a crash never
 * leaves a half-written blob under a valid name. The root is outside any web
 * root; files are only served through access-checked routes.
 *
 * A blob is often read again right after it is written (a signing act's new version: the evidence records its SM3),
 * so the last few written stay in memory for a minute (issue 23: a read is four file-system calls); blobs never
 * change, and the only ones deleted (prepared signatures, core/contracts/collectPreparedSignatures.ts) are ten
 * minutes old. The directories made are remembered, so a write to one already there makes none.
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
  const recent = new Map<string, { readonly bytes: Uint8Array; readonly until: number }>()
  let recentBytes = 0
  const forget = (sha256: string) => {
    const entry = recent.get(sha256)
    if (entry === undefined) return
    recent.delete(sha256)
    recentBytes -= entry.bytes.length
  }
  const remember = (sha256: string, bytes: Uint8Array) => {
    forget(sha256)
    if (bytes.length > RECENT_MAX_BYTES) return
    // A copy: the caller may reuse its array.
    recent.set(sha256, { bytes: bytes.slice(), until: Date.now() + RECENT_MS })
    recentBytes += bytes.length
    while (recent.size > RECENT_MAX || recentBytes > RECENT_MAX_BYTES) forget(recent.keys().next().value as string)
  }
  const remembered = (sha256: string) => {
    const entry = recent.get(sha256)
    if (entry === undefined) return undefined
    if (entry.until < Date.now()) {
      forget(sha256)
      return undefined
    }
    return entry.bytes
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
          remember(sha256, bytes)
          return sha256
        },
        catch: (cause) => new BlobStoreError({ operation: "put", cause }),
      }),
    size: (sha256) =>
      !HEX.test(sha256)
        ? Effect.succeedNone
        : Effect.tryPromise({
          try: async () => {
            const kept = remembered(sha256)
            if (kept !== undefined) return Option.some(kept.length)
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
            const kept = remembered(sha256)
            // A copy: the caller may change what it reads.
            if (kept !== undefined) return Option.some(kept.slice())
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
          try: () => {
            forget(sha256)
            return rm(join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256), { force: true })
          },
          catch: (cause) => new BlobStoreError({ operation: "delete", cause }),
        }),
  })
}
