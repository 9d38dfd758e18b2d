/**
 * Calling the Signet partner API with signed requests: Node 22+, no dependencies.
 *
 *   SIGNET_URL=http://127.0.0.1:3000 SIGNET_KEY_ID=ak_… SIGNET_SECRET=sk_… npx tsx examples/api-client.ts
 *
 * creates a contract from the NDA template for two signers and prints its
 * status. The key id and secret come from 企业工作台 → API 密钥 (the secret is shown once).
 * apps/api/examples.test.ts runs this file's functions against a booted app.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto"

export interface Credentials {
  /** The portal's address, e.g. https://sign.example.cn */
  readonly baseUrl: string
  readonly keyId: string
  readonly secret: string
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>

/**
 * The Authorization header of a request: HMAC-SHA256 under the secret of
 * METHOD, path + query, Unix timestamp, a fresh nonce and the body's SHA-256,
 * one per line.
 */
export const authorization = (creds: Credentials, method: string, target: string, body: Uint8Array, timestamp = Math.floor(Date.now() / 1000), nonce = randomBytes(16).toString("hex")) => {
  const bodySha256 = createHash("sha256").update(body).digest("hex")
  const signature = createHmac("sha256", creds.secret).update([method.toUpperCase(), target, String(timestamp), nonce, bodySha256].join("\n")).digest("hex")
  return `SIGNET-HMAC-SHA256 Credential=${creds.keyId}, Timestamp=${timestamp}, Nonce=${nonce}, Signature=${signature}`
}

/** Sends a signed request; `target` is the path with its query, e.g. /api/v1/contracts?status=completed. */
export const signedFetch = async (
  creds: Credentials,
  method: "GET" | "POST",
  target: string,
  options: { readonly json?: unknown; readonly form?: FormData; readonly idempotencyKey?: string; readonly fetch?: Fetch } = {},
): Promise<Response> => {
  let body = new Uint8Array()
  const headers: Record<string, string> = {}
  if (options.json !== undefined) {
    body = new TextEncoder().encode(JSON.stringify(options.json))
    headers["content-type"] = "application/json"
  } else if (options.form !== undefined) {
    // Encode the multipart body first: the signature covers the exact bytes sent.
    const encoded = new Request("http://localhost/", { method: "POST", body: options.form })
    headers["content-type"] = encoded.headers.get("content-type")!
    body = new Uint8Array(await encoded.arrayBuffer())
  }
  headers.authorization = authorization(creds, method, target, body)
  if (options.idempotencyKey !== undefined) headers["idempotency-key"] = options.idempotencyKey
  return (options.fetch ?? fetch)(`${creds.baseUrl}${target}`, { method, headers, ...(method === "GET" ? {} : { body }) })
}

/**
 * Checks a webhook delivery: `Signet-Signature: t=<unix s>,v1=<hex>` must be
 * HMAC-SHA256(endpoint secret, "<t>.<raw body>") and t within 5 minutes.
 */
export const verifyWebhook = (secret: string, header: string | undefined, rawBody: string, nowSeconds = Date.now() / 1000): boolean => {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? "")
  if (m === null || Math.abs(nowSeconds - Number(m[1])) > 300) return false
  const expected = createHmac("sha256", secret).update(`${m[1]}.${rawBody}`).digest()
  return timingSafeEqual(expected, Buffer.from(m[2]!, "hex"))
}

/**
 * The example: an NDA for two signers, created once per `orderRef` (your own
 * reference, sent as the Idempotency-Key: a retry with the same body gets the
 * same contract back) and read back.
 */
export const createNda = async (creds: Credentials, orderRef: string, signers: readonly [{ name: string; mobile: string }, { name: string; mobile: string }], fetchImpl?: Fetch) => {
  // A deadline fixed for the day, so that a retry sends the very same body.
  const deadline = new Date((Math.floor(Date.now() / 86400_000) + 8) * 86400_000).toISOString()
  const created = await signedFetch(creds, "POST", "/api/v1/contracts", {
    json: {
      name: "保密协议", deadline, mode: "sequential", parties: signers,
      template: { id: "nda", values: { partyA: "北京星河科技有限公司", partyB: signers[1].name, years: "3", place: "北京市海淀区" } },
    },
    idempotencyKey: `nda-${orderRef}`,
    ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }),
  })
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`)
  const { id } = await created.json() as { id: string }
  const status = await signedFetch(creds, "GET", `/api/v1/contracts/${id}`, fetchImpl === undefined ? {} : { fetch: fetchImpl })
  return await status.json() as { id: string; status: string; parties: ReadonlyArray<{ name: string; status: string }> }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { SIGNET_URL, SIGNET_KEY_ID, SIGNET_SECRET } = process.env
  if (SIGNET_URL === undefined || SIGNET_KEY_ID === undefined || SIGNET_SECRET === undefined) {
    console.error("set SIGNET_URL, SIGNET_KEY_ID and SIGNET_SECRET")
    process.exit(2)
  }
  const contract = await createNda({ baseUrl: SIGNET_URL, keyId: SIGNET_KEY_ID, secret: SIGNET_SECRET }, process.argv[2] ?? "example-1", [{ name: "张三", mobile: "13800000001" }, { name: "李四", mobile: "13800000002" }])
  console.log(`contract ${contract.id}: ${contract.status}; ${contract.parties.map((p) => `${p.name} ${p.status}`).join(", ")}`)
}
