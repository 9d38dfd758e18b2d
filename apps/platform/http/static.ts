import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { Hono } from "hono"

const require = createRequire(import.meta.url)

const types: Record<string, string> = { css: "text/css; charset=utf-8", js: "text/javascript; charset=utf-8", mjs: "text/javascript; charset=utf-8" }

/**
 * Static assets read once at start: the app's own files plus htmx and pdf.js
 * (page previews for field placement) from node_modules (no CDN). Cached for an hour.
 */
export const staticRoutes = (files: Readonly<Record<string, string>>) => {
  const all: Record<string, string> = {
    ...files,
    "htmx.min.js": require.resolve("htmx.org/dist/htmx.min.js"),
    "pdf.min.mjs": require.resolve("pdfjs-dist/build/pdf.min.mjs"),
    "pdf.worker.min.mjs": require.resolve("pdfjs-dist/build/pdf.worker.min.mjs"),
  }
  const loaded = new Map(Object.entries(all).map(([name, path]) => [name, readFileSync(path)]))
  const app = new Hono()
  app.get("/:name", (c) => {
    const name = c.req.param("name")
    const body = loaded.get(name)
    if (body === undefined) return c.notFound()
    return c.body(new Uint8Array(body), 200, {
      "content-type": types[name.split(".").pop() ?? ""] ?? "application/octet-stream",
      "cache-control": "public, max-age=3600",
      "x-content-type-options": "nosniff",
    })
  })
  return app
}
