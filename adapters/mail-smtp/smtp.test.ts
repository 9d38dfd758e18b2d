import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Exit, Redacted } from "effect"
import { SMTPServer } from "smtp-server"
import { makeSmtpSender } from "./index.ts"

interface Received { readonly from: string; readonly to: ReadonlyArray<string>; readonly raw: string; readonly user: string | undefined }

/** Decodes RFC 2047 encoded words (B and Q) of a header value. */
const decodeWords = (s: string) =>
  s.replace(/\s*=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
    enc.toLowerCase() === "b"
      ? Buffer.from(text, "base64").toString("utf8")
      : Buffer.from(text.replace(/_/g, " ").replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8"))

const header = (raw: string, name: string) => {
  const m = raw.match(new RegExp(`^${name}: (.*(?:\\r\\n[ \\t].*)*)`, "mi"))
  return m === null ? null : decodeWords(m[1]!.replace(/\r\n[ \t]/g, " "))
}

/** The text body, whatever transfer encoding nodemailer chose. */
const body = (raw: string) => {
  const [head = "", ...rest] = raw.split("\r\n\r\n")
  const text = rest.join("\r\n\r\n")
  const encoding = header(head, "Content-Transfer-Encoding")?.toLowerCase()
  if (encoding === "base64") return Buffer.from(text.replace(/\s/g, ""), "base64").toString("utf8")
  if (encoding === "quoted-printable") {
    return Buffer.from(text.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8")
  }
  return text
}

describe("SMTP mail sender (nodemailer) against a local SMTP server", () => {
  const received: Array<Received> = []
  let server: SMTPServer
  let port = 0

  beforeAll(async () => {
    server = new SMTPServer({
      secure: false,
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, cb) =>
        auth.username === "signet" && auth.password === "s3cret-pass" ? cb(null, { user: auth.username }) : cb(new Error("535 invalid credentials")),
      onRcptTo: (address, _session, cb) => (address.address.endsWith("@refused.example") ? cb(new Error("550 no such user")) : cb()),
      onData: (stream, session, cb) => {
        const chunks: Array<Buffer> = []
        stream.on("data", (c: Buffer) => chunks.push(c))
        stream.on("end", () => {
          received.push({
            from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString("utf8"),
            user: session.user as string | undefined,
          })
          cb()
        })
      },
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()))
    port = (server.server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const sender = (password = "s3cret-pass") =>
    makeSmtpSender({
      host: "127.0.0.1", port, secure: false, user: "signet", password: Redacted.make(password),
      from: "Signet <no-reply@signet.test>", allowPlaintext: true, timeoutMs: 5_000,
    })

  it("delivers a Chinese notice: envelope, authenticated user, subject and text arrive intact", async () => {
    const text = "【Signet】您的订单 1234567890123456789 已支付 605.00 元，正在审核中。\n请登录个人中心查看。"
    await Effect.runPromise(sender().send({ to: "agent@example.cn", subject: "订单 1234567890123456789：已支付", text }))
    const m = received.at(-1)!
    expect(m.from).toBe("no-reply@signet.test")
    expect(m.to).toEqual(["agent@example.cn"])
    expect(m.user).toBe("signet")
    expect(header(m.raw, "Subject")).toBe("订单 1234567890123456789：已支付")
    expect(body(m.raw).replace(/\r\n/g, "\n").trim()).toBe(text)
  })

  it("a wrong password or a refused recipient is MailNotDelivered, and the password is not in the reason", async () => {
    const before = received.length
    const bad = await Effect.runPromiseExit(sender("wrong-pass").send({ to: "agent@example.cn", subject: "x", text: "x" }))
    expect(Exit.isFailure(bad)).toBe(true)
    const reason = JSON.stringify(bad)
    expect(reason).toContain("MailNotDelivered")
    expect(reason).not.toContain("wrong-pass")
    const refused = await Effect.runPromiseExit(sender().send({ to: "nobody@refused.example", subject: "x", text: "x" }))
    expect(JSON.stringify(refused)).toContain("MailNotDelivered")
    expect(received.length).toBe(before)
  })
})
