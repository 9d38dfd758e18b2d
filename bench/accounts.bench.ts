/**
 * Accounts: what a log-in and an authenticated page cost on top of their
 * unavoidable work. Baselines in the same run: one argon2id verify with the
 * production cost (the floor of a log-in), and a bare Hono route (the floor of
 * any page).
 */
import { verify, hash } from "@node-rs/argon2"
import { Hono } from "hono"
import { productionCost } from "../adapters/argon2/index.ts"
import { bootForTest } from "../fixtures/boot.ts"
import { TestBrowser } from "../fixtures/browser.ts"
import { fmt, medianMs, ratio } from "./measure.ts"

export default async function run(): Promise<string> {
  const app = await bootForTest()
  try {
    const stored = await hash("Demo1234", { ...productionCost, parallelism: 1 })
    const argon = await medianMs(() => verify(stored, "Demo1234"), 30)
    const b = new TestBrowser(app.web)
    await b.get("/login")
    const login = await medianMs(async () => {
      const r = await b.post("/login", { mobile: "13800000001", password: "Demo1234" })
      if (r.status !== 303) throw new Error(`log-in failed: ${r.status}`)
      await b.get("/account") // the session rotated: its page carries the new CSRF token
    }, 30)
    await b.get("/account")
    const bare = new Hono().get("/", (c) => c.html("<p>ok</p>"))
    const floor = await medianMs(() => bare.request("http://localhost/"), 500, 50)
    const page = await medianMs(() => b.get("/account"), 500, 50)
    return `## Accounts (SQLite)

| what | median | baseline | ratio |
|---|---|---|---|
| log-in POST + next GET (argon2id verify, session rotation, page) | ${fmt(login)} ms | argon2id verify alone ${fmt(argon)} ms (m=19 MiB, t=2) | ${ratio(login, argon)} |
| GET /account logged in (session lookup, profile, render) | ${fmt(page)} ms | bare Hono route ${fmt(floor)} ms | ${ratio(page, floor)} |
`
  } finally {
    await app.close()
  }
}
