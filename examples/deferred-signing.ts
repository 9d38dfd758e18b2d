/**
 * Signing as your enterprise with a key in your own HSM or USB-Key (PKCS#11)
 * through the deferred API: the key never leaves the token; only the CMS
 * signed attributes travel to it and the signature value back.
 *
 *   SIGNET_URL=http://127.0.0.1:3000 SIGNET_KEY_ID=ak_… SIGNET_SECRET=sk_… \
 *   PKCS11_MODULE=/usr/lib/softhsm/libsofthsm2.so PKCS11_TOKEN=<token label> PKCS11_PIN=… \
 *   npx tsx examples/deferred-signing.ts <contract id>
 *
 * The token holds the key and its certificate under one label (PKCS11_KEY_LABEL,
 * default "signing", as on the USB-Keys the shop makes); the certificate must
 * name your enterprise. apps/api/signing.test.ts runs this file against a booted app and a SoftHSM2 token.
 */
import { createHash } from "node:crypto"
import pkcs11js from "pkcs11js"
import { signedFetch, type Credentials } from "./api-client.ts"

export interface Hsm {
  readonly module: string
  readonly token: string
  readonly pin: string
  readonly keyLabel?: string
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>

/** Runs `f` logged in to the token; the module is left initialised (another part of the process may be using it). */
const withToken = <A>(hsm: Hsm, f: (lib: pkcs11js.PKCS11, session: Buffer) => A): A => {
  const lib = new pkcs11js.PKCS11()
  lib.load(hsm.module)
  try {
    lib.C_Initialize()
  } catch (e) {
    if (!String(e).includes("CKR_CRYPTOKI_ALREADY_INITIALIZED")) throw e
  }
  const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === hsm.token)
  if (slot === undefined) throw new Error(`no token labelled ${hsm.token}`)
  const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION)
  try {
    try {
      lib.C_Login(session, pkcs11js.CKU_USER, hsm.pin)
    } catch (e) {
      if (!String(e).includes("CKR_USER_ALREADY_LOGGED_IN")) throw e
    }
    return f(lib, session)
  } finally {
    lib.C_CloseSession(session)
  }
}

const findOne = (lib: pkcs11js.PKCS11, session: Buffer, cls: number, label: string) => {
  lib.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: cls }, { type: pkcs11js.CKA_LABEL, value: label }])
  const [handle] = lib.C_FindObjects(session, 1)
  lib.C_FindObjectsFinal(session)
  if (handle === undefined) throw new Error(`no object ${label} of class ${cls} on the token`)
  return handle
}

/** The certificate stored beside the key (DER). */
export const tokenCertificate = (hsm: Hsm): Uint8Array =>
  withToken(hsm, (lib, session) => {
    const cert = findOne(lib, session, pkcs11js.CKO_CERTIFICATE, hsm.keyLabel ?? "signing")
    return new Uint8Array(lib.C_GetAttributeValue(session, cert, [{ type: pkcs11js.CKA_VALUE }])[0]!.value as Buffer)
  })

/**
 * Signs `data` inside the token: ECDSA P-256 over its SHA-256 (CKM_ECDSA over the digest, as most tokens offer; raw r||s,
 * which the API accepts), or RSA PKCS#1 v1.5 with SHA-256.
 */
export const signOnToken = (hsm: Hsm, algorithm: string, data: Uint8Array): Uint8Array =>
  withToken(hsm, (lib, session) => {
    const key = findOne(lib, session, pkcs11js.CKO_PRIVATE_KEY, hsm.keyLabel ?? "signing")
    const ecdsa = algorithm.startsWith("ECDSA")
    lib.C_SignInit(session, { mechanism: ecdsa ? pkcs11js.CKM_ECDSA : pkcs11js.CKM_SHA256_RSA_PKCS }, key)
    const input = ecdsa ? createHash("sha256").update(data).digest() : Buffer.from(data)
    return new Uint8Array(lib.C_Sign(session, input, Buffer.alloc(512)))
  })

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64")

/** prepare → sign on the token → complete; returns the contract as the API answers it. */
export const signThroughApi = async (creds: Credentials, contractId: string, hsm: Hsm, fetchImpl?: Fetch) => {
  const f = fetchImpl === undefined ? {} : { fetch: fetchImpl }
  // The certificate alone: the platform adds the chain of certificates it issued (send issuers after it for another CA's).
  const certificateChain = [b64(tokenCertificate(hsm))]
  const prepared = await signedFetch(creds, "POST", `/api/v1/contracts/${contractId}/signatures:prepare`, { json: { certificateChain }, ...f })
  if (prepared.status !== 200) throw new Error(`prepare: ${prepared.status} ${await prepared.text()}`)
  const p = await prepared.json() as { preparedId: string; algorithm: string; toBeSigned: string; contract: { name: string; documentSha256: string } }
  const signatureValue = b64(signOnToken(hsm, p.algorithm, new Uint8Array(Buffer.from(p.toBeSigned, "base64"))))
  const completed = await signedFetch(creds, "POST", `/api/v1/contracts/${contractId}/signatures:complete`, {
    json: { preparedId: p.preparedId, signatureValue, certificateChain }, idempotencyKey: `complete-${p.preparedId}`, ...f,
  })
  if (completed.status !== 200) throw new Error(`complete: ${completed.status} ${await completed.text()}`)
  return await completed.json() as { id: string; status: string; parties: ReadonlyArray<{ name: string; status: string }> }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { SIGNET_URL, SIGNET_KEY_ID, SIGNET_SECRET, PKCS11_MODULE, PKCS11_TOKEN, PKCS11_PIN, PKCS11_KEY_LABEL } = process.env
  const id = process.argv[2]
  if (!SIGNET_URL || !SIGNET_KEY_ID || !SIGNET_SECRET || !PKCS11_MODULE || !PKCS11_TOKEN || !PKCS11_PIN || id === undefined) {
    console.error("set SIGNET_URL, SIGNET_KEY_ID, SIGNET_SECRET, PKCS11_MODULE, PKCS11_TOKEN, PKCS11_PIN and pass the contract id")
    process.exit(2)
  }
  const contract = await signThroughApi({ baseUrl: SIGNET_URL, keyId: SIGNET_KEY_ID, secret: SIGNET_SECRET }, id, {
    module: PKCS11_MODULE, token: PKCS11_TOKEN, pin: PKCS11_PIN, ...(PKCS11_KEY_LABEL ? { keyLabel: PKCS11_KEY_LABEL } : {}),
  })
  console.log(`contract ${contract.id}: ${contract.status}; ${contract.parties.map((p) => `${p.name} ${p.status}`).join(", ")}`)
}
