#!/usr/bin/env node
/**
 * `npm run build`: the production build, in plain JavaScript so plain Node runs it.
 *
 *   node scripts/build.mjs            the apps bundle (dist/apps) and the library (dist/lib)
 *   node scripts/build.mjs apps       the apps bundle only
 *   node scripts/build.mjs lib        the library only
 *   node scripts/build.mjs --if-stale the apps bundle, only when a source it was built from changed (`npm start` runs this first)
 *
 * dist/apps: apps/main.ts and the process it forks (the untrusted-work pool's worker) bundled by esbuild,
 * hono/jsx compiled, npm packages left as imports of node_modules. A file a module finds with
 * `new URL("./x", import.meta.url)` (stylesheets, scripts, the CJK font, a worker's entry) is copied to the same path
 * under dist/apps and the URL rewritten relative to the bundle, so assets are found relative to the build; the programs
 * are dist/apps/main.js (`npm start`) and dist/apps/worker.js.
 *
 * dist/lib: core/, adapters/ and fixtures/testing.ts as JavaScript with .d.ts files (tsc emit, tsconfig.lib.json):
 * what the package's exports `signet/core`, `signet/testing`, `signet/adapters/*` point at.
 */
import { execFileSync } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { basename, dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const require = createRequire(import.meta.url)
const out = join(root, "dist/apps")
const meta = join(out, "inputs.json")

/** The programs of the apps bundle: the server and the pool's worker (forked). The CLI (bin/signet.js) still runs through tsx. */
const entries = ["apps/main.ts", "adapters/worker-pool/worker.ts"]

/** Packages left as imports of node_modules: native addons, optional drivers, files read by path. */
const EXTERNAL = ["better-sqlite3", "pkcs11js", "@node-rs/argon2", "pg-native", "pdfjs-dist", "htmx.org"]

/** `new URL("<relative>", import.meta.url)`: a file found next to the module. */
const ASSET_URL = /new URL\((["'])(\.\.?\/[^"']+)\1,\s*import\.meta\.url\)/g

/** Source files of the last apps build and their modification times (`--if-stale` compares them). */
const stale = () => {
  if (!existsSync(meta)) return "no build yet"
  const { inputs } = JSON.parse(readFileSync(meta, "utf8"))
  for (const [file, mtimeMs] of Object.entries(inputs)) {
    const path = join(root, file)
    if (!existsSync(path)) return `${file} is gone`
    if (statSync(path).mtimeMs !== mtimeMs) return `${file} changed`
  }
  return null
}

const buildApps = async () => {
  const esbuild = await import(require.resolve("esbuild"))
  rmSync(out, { recursive: true, force: true })
  const copied = new Set()
  /** Rewrites asset URLs of project modules to the asset's copy under dist/apps. */
  const assets = (bundleDir) => ({
    name: "assets-beside-the-build",
    setup(build) {
      build.onLoad({ filter: /\.(ts|tsx|mjs|js)$/ }, (args) => {
        if (args.path.includes("/node_modules/")) return undefined
        const source = readFileSync(args.path, "utf8")
        if (!source.includes("import.meta.url")) return undefined
        const contents = source.replace(ASSET_URL, (_, q, rel) => {
          const target = resolve(dirname(args.path), rel)
          const fromRoot = relative(root, target)
          // A TypeScript module found by URL is a program of its own (an entry above), built to .js beside it.
          const built = /\.tsx?$/.test(fromRoot) ? basename(fromRoot).replace(/\.tsx?$/, ".js") : fromRoot
          if (built === fromRoot && !copied.has(fromRoot)) {
            mkdirSync(dirname(join(out, fromRoot)), { recursive: true })
            copyFileSync(target, join(out, fromRoot))
            copied.add(fromRoot)
          } else if (built !== fromRoot && !entries.includes(fromRoot)) {
            throw new Error(`${relative(root, args.path)} finds ${fromRoot} by URL: add it to the entries of scripts/build.mjs`)
          }
          let path = relative(bundleDir, join(out, built))
          if (!path.startsWith(".")) path = `./${path}`
          return `new URL(${q}${path}${q}, import.meta.url)`
        })
        return { contents, loader: args.path.endsWith(".tsx") ? "tsx" : args.path.endsWith(".ts") ? "ts" : "js", resolveDir: dirname(args.path) }
      })
    },
  })
  const inputs = {}
  // One build, code split: the cluster's primary loads apps/main.ts and the config only, the servers the rest.
  // Every file lands flat in dist/apps (entries and chunks), so `import.meta.url` is the same directory in each.
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: entries.map((e) => join(root, e)),
    outdir: out,
    entryNames: "[name]",
    chunkNames: "[name]-[hash]",
    splitting: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    // npm packages are bundled too (one file parses faster than a thousand modules resolve and load), except
    // native addons and packages that load files of their own at run time.
    external: EXTERNAL,
    banner: { js: 'import { createRequire as __signetRequire } from "node:module"; const require = __signetRequire(import.meta.url);' },
    jsx: "automatic",
    jsxImportSource: "hono/jsx",
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
    plugins: [assets(out)],
  })
  for (const file of Object.keys(result.metafile.inputs)) if (!file.includes("node_modules/")) inputs[file] = statSync(join(root, file)).mtimeMs
  for (const file of copied) inputs[file] = statSync(join(root, file)).mtimeMs
  // The forked worker's loader (plain JavaScript) is copied as an asset; the bundle's package.json says "module".
  writeFileSync(join(out, "package.json"), `${JSON.stringify({ type: "module" })}\n`)
  writeFileSync(meta, `${JSON.stringify({ inputs }, null, 1)}\n`)
}

const buildLib = () => {
  rmSync(join(root, "dist/lib"), { recursive: true, force: true })
  execFileSync(process.execPath, [join(dirname(require.resolve("typescript/package.json")), "bin/tsc"), "-p", join(root, "tsconfig.lib.json")], { cwd: root, stdio: "inherit" })
  // The CJK font the font adapter finds beside itself (adapters/font-cjk: ../../fixtures/fonts/…).
  const font = "fixtures/fonts/NotoSansSC-GB2312.ttf"
  mkdirSync(dirname(join(root, "dist/lib", font)), { recursive: true })
  copyFileSync(join(root, font), join(root, "dist/lib", font))
  copyFileSync(join(root, "adapters/worker-pool/bootstrap.mjs"), join(root, "dist/lib/adapters/worker-pool/bootstrap.mjs"))
}

const args = process.argv.slice(2)
const started = performance.now()
if (args.includes("--if-stale")) {
  const why = stale()
  if (why !== null) {
    console.error(`build: ${why}, building the apps bundle`)
    await buildApps()
  }
} else {
  if (args.length === 0 || args.includes("apps")) await buildApps()
  if (args.length === 0 || args.includes("lib")) buildLib()
  console.error(`build: done in ${Math.round(performance.now() - started)} ms`)
}
