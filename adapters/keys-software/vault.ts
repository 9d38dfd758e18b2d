/**
 * Where sealed keys and the CA's certificates are kept: named byte strings
 * that are created once and never silently replaced. A directory (one
 * instance; the layout `<dir>/<name>` the CA has always used), memory (tests,
 * staging), or the database (adapters/sql/vault.ts: every instance on one
 * Postgres shares it). Names are `/`-separated segments of [A-Za-z0-9._-].
 */
import { randomBytes } from "node:crypto"
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { Context, Effect } from "effect"
import { KeyStoreFailed } from "../../core/ports/KeyStore.ts"

export type VaultEntry = readonly [name: string, data: Uint8Array]

export interface Vault {
  /** Where it is, for messages. */
  readonly where: string
  readonly get: (name: string) => Effect.Effect<Uint8Array | undefined, KeyStoreFailed>
  /**
   * Stores every entry, or none and answers false when the FIRST name is
   * already taken (another instance won the race: read its entries). In a
   * directory the first entry is written last, so a reader that finds it finds the rest.
   */
  readonly create: (entries: ReadonlyArray<VaultEntry>) => Effect.Effect<boolean, KeyStoreFailed>
  /** Overwrites (derived data only, e.g. the CRL). */
  readonly replace: (name: string, data: Uint8Array) => Effect.Effect<void, KeyStoreFailed>
  /** Every entry whose name starts with `prefix`, ordered by name. */
  readonly list: (prefix: string) => Effect.Effect<ReadonlyArray<VaultEntry>, KeyStoreFailed>
}

/** The vault every instance shares (the database's), when the apps run on Postgres. */
export class SharedVault extends Context.Service<SharedVault, Vault>()("adapters/keys-software/SharedVault") {}

const NAME = /^[A-Za-z0-9._-]{1,128}(\/[A-Za-z0-9._-]{1,128})*$/

export const checkName = (name: string): string => {
  if (!NAME.test(name) || name.split("/").some((s) => s === "." || s === "..")) throw new Error(`invalid vault name ${JSON.stringify(name)}`)
  return name
}

const attempt = <A>(what: string, f: () => A) => Effect.try({ try: f, catch: (e) => new KeyStoreFailed({ reason: `${what}: ${e instanceof Error ? e.message : String(e)}` }) })

/** The names under `prefix` of another vault (e.g. `ca/` of the shared one). */
export const within = (vault: Vault, prefix: string): Vault => ({
  where: `${vault.where}/${prefix}`,
  get: (name) => vault.get(prefix + name),
  create: (entries) => vault.create(entries.map(([n, d]) => [prefix + n, d] as const)),
  replace: (name, data) => vault.replace(prefix + name, data),
  list: (p) => Effect.map(vault.list(prefix + p), (es) => es.map(([n, d]) => [n.slice(prefix.length), d] as const)),
})

export const memoryVault = (where = "memory"): Vault & { readonly entries: () => ReadonlyArray<VaultEntry> } => {
  const map = new Map<string, Uint8Array>()
  return {
    where,
    entries: () => [...map.entries()],
    get: (name) => attempt("read", () => map.get(checkName(name))),
    create: (entries) =>
      attempt("create", () => {
        entries.forEach(([n]) => checkName(n))
        if (entries.length === 0 || map.has(entries[0]![0])) return false
        if (entries.some(([n]) => map.has(n))) throw new Error(`${entries.find(([n]) => map.has(n))![0]} already exists`)
        entries.forEach(([n, d]) => map.set(n, d))
        return true
      }),
    replace: (name, data) => Effect.sync(() => void map.set(checkName(name), data)),
    list: (prefix) => Effect.sync(() => [...map.entries()].filter(([n]) => n.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1))),
  }
}

/** A vault in a directory: `<dir>/<name>`, files mode 0600, each written aside and linked into place (never replaced). */
export const directoryVault = (dir: string): Vault => {
  const path = (name: string) => join(dir, checkName(name))
  const read = (name: string) => (existsSync(path(name)) ? new Uint8Array(readFileSync(path(name))) : undefined)
  /** false when the name is taken. */
  const link = (name: string, data: Uint8Array): boolean => {
    const target = path(name)
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 })
    const tmp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`
    writeFileSync(tmp, data, { mode: 0o600, flag: "wx" })
    try {
      linkSync(tmp, target)
      return true
    } catch (e) {
      if ((e as { code?: string }).code === "EEXIST") return false
      throw e
    } finally {
      unlinkSync(tmp)
    }
  }
  return {
    where: dir,
    get: (name) => attempt(`read ${name}`, () => read(name)),
    create: (entries) =>
      attempt("create", () => {
        const [first, ...rest] = entries
        if (first === undefined || read(first[0]) !== undefined) return false
        for (const [n, d] of rest) if (!link(n, d)) throw new Error(`${n} already exists`)
        return link(first[0], first[1])
      }),
    replace: (name, data) =>
      attempt(`write ${name}`, () => {
        const target = path(name)
        mkdirSync(dirname(target), { recursive: true, mode: 0o700 })
        const tmp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`
        writeFileSync(tmp, data, { mode: 0o600 })
        renameSync(tmp, target)
      }),
    list: (prefix) =>
      attempt(`list ${prefix}`, () => {
        // Prefixes used are whole folders ("revoked/") or a folder plus a file-name start.
        const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/") + 1) : ""
        const start = prefix.slice(folder.length)
        const abs = join(dir, folder)
        if (!existsSync(abs)) return []
        return readdirSync(abs, { withFileTypes: true })
          .filter((f) => f.isFile() && f.name.startsWith(start) && !f.name.endsWith(".tmp"))
          .map((f) => f.name)
          .sort()
          .map((n) => [folder + n, new Uint8Array(readFileSync(join(abs, n)))] as const)
      }),
  }
}

/**
 * Copies `claim` and every entry under `prefixes` ("" = the top level) from
 * one vault to another that lacks `claim`, in one `create` (so a race of two
 * importers stores one copy). True when it copied; false when there was
 * nothing to copy or the target already had it.
 */
export const importInto = (from: Vault, to: Vault, claim: string, prefixes: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const first = yield* from.get(claim)
    if (first === undefined || (yield* to.get(claim)) !== undefined) return false
    const rest = (yield* Effect.forEach(prefixes, (p) => from.list(p))).flat().filter(([n]) => n !== claim)
    return yield* to.create([[claim, first], ...rest])
  })
