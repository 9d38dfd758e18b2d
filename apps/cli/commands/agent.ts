/**
 * `signet agent --origin https://sign.example.cn [--module PATH] [--port 17860]`:
 * (another port: tell the portal with SIGNET_AGENT_URL=http://127.0.0.1:<port>)
 * the local signing agent for USB-Keys (see agentServer.ts). The PIN is asked
 * on this terminal (hidden), or read line by line from stdin when it is not a
 * terminal. `--pin-file PATH` is for automated tests only: the PIN is read
 * from that file at each request, with the same summary printed first.
 */
import { readFileSync } from "node:fs"
import { createInterface } from "node:readline"
import { SOFTHSM2_MODULE } from "../../../adapters/usb-key/index.ts"
import { parseArgs, stringArg } from "../args.ts"
import { AGENT_DEFAULT_PORT } from "../../platform/config.ts"
import { startAgent, type PinSource } from "./agentServer.ts"

export { AGENT_DEFAULT_PORT }

/** Hidden input on a terminal: characters are not echoed; Enter ends, Ctrl-C / Esc declines. */
const ttyPin: PinSource = () =>
  new Promise((resolve) => {
    const stdin = process.stdin
    process.stderr.write("请输入 USB-Key 的 PIN（直接回车拒绝签署）：")
    let pin = ""
    stdin.setRawMode(true)
    stdin.resume()
    const done = (value: string | null) => {
      stdin.setRawMode(false)
      stdin.pause()
      stdin.off("data", onData)
      process.stderr.write("\n")
      resolve(value)
    }
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done(pin === "" ? null : pin)
        if (ch === "\u0003" || ch === "\u001b") return done(null)
        if (ch === "\u007f" || ch === "\b") pin = pin.slice(0, -1)
        else pin += ch
      }
    }
    stdin.on("data", onData)
  })

/** Not a terminal: one line of stdin per request (an empty line declines). */
const linePin = (): PinSource => {
  const lines: Array<string> = []
  const waiting: Array<(line: string | null) => void> = []
  const rl = createInterface({ input: process.stdin })
  rl.on("line", (l) => (waiting.length > 0 ? waiting.shift()!(l) : lines.push(l)))
  rl.on("close", () => waiting.splice(0).forEach((w) => w(null)))
  return () => {
    process.stderr.write("请在标准输入中输入 USB-Key 的 PIN（空行拒绝签署）\n")
    const next = lines.shift()
    return next !== undefined ? Promise.resolve(next) : new Promise((resolve) => waiting.push(resolve))
  }
}

/** Test only: the PIN as the file holds it at the time of the request. */
const filePin = (path: string): PinSource => () => {
  try {
    return Promise.resolve(readFileSync(path, "utf8").trim() || null)
  } catch {
    return Promise.resolve(null)
  }
}

/** One prompt at a time: a second request waits for the first to be answered. */
const serialized = (source: PinSource): PinSource => {
  let last: Promise<unknown> = Promise.resolve()
  return (summary) => {
    const next = last.then(() => source(summary))
    last = next.catch(() => undefined)
    return next
  }
}

export default async (args: ReadonlyArray<string>): Promise<number> => {
  const p = parseArgs(args)
  const origin = stringArg(p, "origin")
  if (origin === undefined || !/^https?:\/\/[^/\s]+$/.test(origin)) {
    console.error("signet agent: --origin must be the portal's origin, e.g. --origin https://sign.example.cn")
    return 2
  }
  const port = Number(stringArg(p, "port") ?? AGENT_DEFAULT_PORT)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error("signet agent: --port must be a port number 1-65535 (the portal finds the agent at SIGNET_AGENT_URL, default http://127.0.0.1:17860)")
    return 2
  }
  const pinFile = stringArg(p, "pin-file")
  const source = pinFile !== undefined ? filePin(pinFile) : process.stdin.isTTY ? ttyPin : linePin()
  const agent = await startAgent({
    origin, port, module: stringArg(p, "module") ?? SOFTHSM2_MODULE, pin: serialized(source),
    log: (line) => process.stderr.write(`${line}\n`),
  })
  process.stderr.write(`Signet 签署助手已启动：http://127.0.0.1:${agent.port}（只接受 ${origin} 的页面；PIN 只在本窗口输入）\n`)
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve)
    process.once("SIGTERM", resolve)
  })
  await agent.close()
  return 0
}
