/**
 * The local signing agent (`signet agent`, issue 20): a small HTTP server on
 * 127.0.0.1 that the portal's sign page talks to. It answers the configured
 * portal origin only (CORS, and Private Network Access preflights that a
 * public page needs to reach a loopback address), lists the certificates on
 * the PKCS#11 tokens, and signs the CMS signed attributes the platform
 * prepared inside the token. The PIN is asked by the agent itself (its
 * terminal, or a test-only source): a request that carries one is refused,
 * so the page and the server never see it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import * as pkijs from "pkijs"
import { openToken } from "../../../adapters/pkcs11/index.ts"
import { listCertificates } from "../../../adapters/usb-key/index.ts"

/** What the signer is shown before the PIN is asked: what they sign, with which certificate. */
export interface SignRequestSummary {
  readonly contractName: string
  readonly contractId: string
  readonly documentSha256: string
  readonly token: string
  readonly certificateSubject: string
}

/** Asks the signer for the token PIN after showing the summary; null when they decline. */
export type PinSource = (summary: SignRequestSummary) => Promise<string | null>

export interface AgentOptions {
  /** The portal's origin (scheme://host[:port]): the only one answered. */
  readonly origin: string
  readonly module: string
  readonly port: number
  readonly pin: PinSource
  /** Where the agent tells the signer what happens (its own terminal). */
  readonly log: (line: string) => void
}

const subjectOf = (der: Uint8Array) => {
  const c = pkijs.Certificate.fromBER(new Uint8Array(der))
  const short: Record<string, string> = { "2.5.4.3": "CN", "2.5.4.10": "O", "2.5.4.97": "organizationIdentifier", "2.5.4.5": "serialNumber" }
  return {
    subject: c.subject.typesAndValues.filter((tv) => short[tv.type] !== undefined).map((tv) => `${short[tv.type]}=${String(tv.value.valueBlock.value)}`).join(", "),
    serialHex: Buffer.from(c.serialNumber.valueBlock.valueHexView).toString("hex"),
    notAfter: c.notAfter.value.toISOString(),
    algorithm: c.subjectPublicKeyInfo.algorithm.algorithmId === "1.2.840.10045.2.1" ? "ECDSA-P256-SHA256" as const : "RSA-PKCS1-SHA256" as const,
  }
}

const readBody = (req: IncomingMessage, limit = 256 * 1024) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    req.on("data", (c: Buffer) => {
      size += c.length
      if (size > limit) reject(new Error("too large"))
      else chunks.push(c)
    })
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

interface SignBody {
  readonly token: string
  readonly label: string
  readonly toBeSigned: string
  readonly contract: { readonly id: string; readonly name: string; readonly documentSha256: string }
}

const isSignBody = (v: unknown): v is SignBody => {
  const b = v as Partial<SignBody> | null
  return typeof b === "object" && b !== null && typeof b.token === "string" && typeof b.label === "string" && typeof b.toBeSigned === "string" &&
    /^[A-Za-z0-9+/]+={0,2}$/.test(b.toBeSigned) && typeof b.contract === "object" && b.contract !== null &&
    typeof b.contract.id === "string" && typeof b.contract.name === "string" && /^[0-9a-f]{64}$/.test(String(b.contract.documentSha256))
}

export const startAgent = async (o: AgentOptions): Promise<{ readonly server: Server; readonly port: number; readonly close: () => Promise<void> }> => {
  const send = (res: ServerResponse, status: number, body: unknown, cors: boolean) => {
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...(cors ? { "access-control-allow-origin": o.origin, vary: "Origin" } : {}),
    })
    res.end(JSON.stringify(body))
  }
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // Only the portal's pages may use the token; any other page (or a request without an Origin) learns nothing.
    if (req.headers.origin !== o.origin) return send(res, 403, { error: "来源不是配置的签约平台，已拒绝" }, false)
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        "access-control-allow-origin": o.origin,
        "access-control-allow-methods": "GET, POST",
        "access-control-allow-headers": "content-type",
        "access-control-max-age": "600",
        // Private Network Access: a public portal page may reach this loopback agent only if it says so.
        ...(req.headers["access-control-request-private-network"] === "true" ? { "access-control-allow-private-network": "true" } : {}),
        vary: "Origin",
      })
      return res.end()
    }
    if (req.method === "GET" && path === "/status") return send(res, 200, { agent: "signet", module: o.module }, true)
    if (req.method === "GET" && path === "/certificates") {
      const certificates = listCertificates(o.module).map((c) => ({
        token: c.token, label: c.label, certificate: Buffer.from(c.certificateDer).toString("base64"), ...subjectOf(c.certificateDer),
      }))
      return send(res, 200, { certificates }, true)
    }
    if (req.method === "POST" && path === "/sign") {
      let body: unknown
      try {
        body = JSON.parse(await readBody(req))
      } catch {
        return send(res, 400, { error: "请求内容无效" }, true)
      }
      if (typeof body === "object" && body !== null && "pin" in body) return send(res, 400, { error: "PIN 只在本机签署助手中输入，不经网页传递" }, true)
      if (!isSignBody(body)) return send(res, 400, { error: "请求内容无效" }, true)
      const cert = listCertificates(o.module).find((c) => c.token === body.token && c.label === body.label)
      if (cert === undefined) return send(res, 404, { error: "USB-Key 上没有该证书，请确认已插入" }, true)
      const facts = subjectOf(cert.certificateDer)
      const summary = { contractName: body.contract.name, contractId: body.contract.id, documentSha256: body.contract.documentSha256, token: body.token, certificateSubject: facts.subject }
      o.log(`签署请求：《${summary.contractName}》（编号 ${summary.contractId}），文件 SHA-256 ${summary.documentSha256}，证书 ${summary.certificateSubject}`)
      const pin = await o.pin(summary)
      if (pin === null || pin === "") {
        o.log("未输入 PIN，已拒绝签署")
        return send(res, 403, { error: "签署人未在签署助手中输入 PIN，已拒绝签署" }, true)
      }
      let token: ReturnType<typeof openToken>
      try {
        token = openToken(o.module, body.token, pin)
      } catch (e) {
        o.log(`PIN 未通过：${e instanceof Error ? e.message : String(e)}`)
        return send(res, 401, { error: "PIN 错误或 USB-Key 已锁定" }, true)
      }
      try {
        const signature = token.sign(body.label, facts.algorithm, new Uint8Array(Buffer.from(body.toBeSigned, "base64")))
        if (signature === undefined) return send(res, 404, { error: "USB-Key 上没有对应的私钥" }, true)
        o.log(`已在 USB-Key 内完成签名（证书序列号 ${facts.serialHex}）`)
        return send(res, 200, { signatureValue: Buffer.from(signature).toString("base64"), certificate: Buffer.from(cert.certificateDer).toString("base64") }, true)
      } finally {
        token.close()
      }
    }
    return send(res, 404, { error: "未知请求" }, true)
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      o.log(`出错：${e instanceof Error ? e.message : String(e)}`)
      if (!res.headersSent) send(res, 500, { error: "签署助手出错，请查看其窗口中的提示" }, req.headers.origin === o.origin)
    })
  })
  // Loopback only: the agent is never reachable from the network.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(o.port, "127.0.0.1", () => resolve())
  })
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
