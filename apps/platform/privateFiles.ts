import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs"

/**
 * The data directory holds the database, sealed keys and (dev) secrets: it is
 * made, or tightened if it exists, to owner-only access (0700).
 */
export const privateDir = (dir: string) => {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
}

/**
 * A file only the owner may read and write (0600), created empty if missing,
 * tightened if it exists. SQLite gives its -wal and -shm files the database
 * file's mode, so making the database this way covers them too.
 */
export const privateFile = (path: string) => {
  closeSync(openSync(path, "a", 0o600))
  chmodSync(path, 0o600)
}
