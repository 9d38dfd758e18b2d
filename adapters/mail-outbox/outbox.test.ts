import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { Effect, Layer } from "effect"
import { MailSender } from "../../core/ports/MailSender.ts"
import { layerDir, layerMemory, MailOutbox } from "./index.ts"

const dir = mkdtempSync(join(tmpdir(), "signet-mail-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const sendThree = Effect.gen(function*() {
  const mail = yield* MailSender
  yield* mail.send({ to: "a@example.cn", subject: "一", text: "第一封" })
  yield* mail.send({ to: "b@example.cn", subject: "二", text: "第二封" })
  yield* mail.send({ to: "a@example.cn", subject: "三", text: "第三封" })
  return yield* (yield* MailOutbox).recent(10)
})

describe("development mail outbox", () => {
  it("in a directory: one file per message, read back newest first, by recipient, by another opener of the same directory", async () => {
    const all = await Effect.runPromise(sendThree.pipe(Effect.provide(layerDir(dir))))
    expect(all.map((m) => m.subject)).toEqual(["三", "二", "一"])
    expect(readdirSync(dir).filter((f) => f.endsWith(".json"))).toHaveLength(3)
    writeFileSync(join(dir, "broken.json"), "{not json")
    const forA = await Effect.runPromise(MailOutbox.use((o) => o.recent(10, "a@example.cn")).pipe(Effect.provide(layerDir(dir))))
    expect(forA.map((m) => m.text)).toEqual(["第三封", "第一封"])
  })

  it("in memory: separate per layer instance", async () => {
    const all = await Effect.runPromise(sendThree.pipe(Effect.provide(layerMemory)))
    expect(all).toHaveLength(3)
    const fresh = await Effect.runPromise(MailOutbox.use((o) => o.recent(10)).pipe(Effect.provide(Layer.fresh(layerMemory))))
    expect(fresh).toEqual([])
  })
})
