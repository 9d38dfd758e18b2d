/**
 * PKCS#11 token access with pkcs11js: find the token by label (never by slot
 * index), log in with the PIN, find or generate keys by label, sign inside
 * the token. Private keys are created sensitive and non-extractable.
 */
import { createHash, createHmac, createPublicKey, randomBytes, timingSafeEqual } from "node:crypto"
import type * as P11 from "pkcs11js"
// The default import: under Node's own ESM loader (tsx, `npx signet`) the CJS
// module's constants are not visible as named exports (only vitest fills them in).
import pkcs11js from "pkcs11js"
import { createCMSECDSASignature } from "pkijs"
import type { KeyType } from "../../core/ports/KeyStore.ts"
import type { SignatureAlgorithm } from "../../core/ports/Signer.ts"

const P256_PARAMS = Buffer.from("06082a8648ce3d030107", "hex")

export interface TokenSession {
  readonly generate: (label: string, type: KeyType) => Uint8Array
  readonly publicKey: (label: string) => Uint8Array | undefined
  readonly sign: (label: string, algorithm: SignatureAlgorithm, data: Uint8Array) => Uint8Array | undefined
  /** The session handle (hex), for diagnostics and leak tests. */
  readonly handle: string
  /** Closes the session (idempotent); the token logs out when its last session closes. */
  readonly close: () => void
}

const modules = new Map<string, P11.PKCS11>()

/** One loaded + initialised module per path (C_Initialize may only run once per process). */
const loadModule = (path: string): P11.PKCS11 => {
  const existing = modules.get(path)
  if (existing) return existing
  const lib = new pkcs11js.PKCS11()
  lib.load(path)
  lib.C_Initialize()
  modules.set(path, lib)
  return lib
}

/**
 * Login state is per application and token: once one session is logged in,
 * C_Login on any other returns CKR_USER_ALREADY_LOGGED_IN without checking
 * the PIN, so a wrong PIN would pass. The token itself cannot re-check it
 * without C_Logout, which would log out every other open session of this
 * process. So the process keeps, per logged-in token, an HMAC (random
 * per-process key) of the PIN that C_Login accepted and compares later PINs
 * with it; the record goes when the token's last session closes (and with
 * it the login).
 */
const pinKey = randomBytes(32)
const pinTag = (pin: string) => createHmac("sha256", pinKey).update(pin, "utf8").digest()
interface LoggedIn {
  readonly pin: Buffer
  sessions: number
}
const logins = new Map<string, LoggedIn>()

/** Whether a session handle (as in TokenSession.handle) is still open in the module. */
export const isSessionOpen = (modulePath: string, handle: string): boolean => {
  try {
    loadModule(modulePath).C_GetSessionInfo(Buffer.from(handle, "hex"))
    return true
  } catch (e) {
    if (String(e).includes("CKR_SESSION_HANDLE_INVALID") || String(e).includes("CKR_SESSION_CLOSED")) return false
    throw e
  }
}

export const openToken = (modulePath: string, tokenLabel: string, pin: string): TokenSession => {
  const lib = loadModule(modulePath)
  const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === tokenLabel)
  if (!slot) throw new Error(`no token labelled ${JSON.stringify(tokenLabel)} in ${modulePath}`)
  const loginKey = `${modulePath}#${Buffer.from(slot).toString("hex")}`
  const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION)
  try {
    lib.C_Login(session, pkcs11js.CKU_USER, pin)
    logins.set(loginKey, { pin: pinTag(pin), sessions: 0 })
  } catch (e) {
    const known = logins.get(loginKey)
    const alreadyIn = String(e).includes("CKR_USER_ALREADY_LOGGED_IN")
    if (!alreadyIn || !known || !timingSafeEqual(known.pin, pinTag(pin))) {
      lib.C_CloseSession(session)
      if (alreadyIn) throw new Error(`CKR_PIN_INCORRECT: the PIN does not match the one token ${tokenLabel} is logged in with`)
      throw e
    }
  }
  const login = logins.get(loginKey)
  if (login) login.sessions++
  let open = true
  const find = (cls: number, label: string) => {
    lib.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: cls }, { type: pkcs11js.CKA_LABEL, value: label }])
    const found = lib.C_FindObjects(session, 1)[0]
    lib.C_FindObjectsFinal(session)
    return found
  }
  const spki = (handle: P11.Handle): Uint8Array => {
    const [type] = lib.C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_KEY_TYPE }])
    const keyType = (type?.value as Buffer).readUInt32LE(0)
    if (keyType === pkcs11js.CKK_RSA) {
      const [n, e] = lib.C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_MODULUS }, { type: pkcs11js.CKA_PUBLIC_EXPONENT }])
      const jwk = { kty: "RSA", n: (n?.value as Buffer).toString("base64url"), e: (e?.value as Buffer).toString("base64url") }
      return new Uint8Array(createPublicKey({ key: jwk, format: "jwk" }).export({ format: "der", type: "spki" }))
    }
    const [point] = lib.C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_EC_POINT }])
    let raw = point?.value as Buffer
    if (raw[0] === 0x04 && raw.length === 67) raw = raw.subarray(2) // DER OCTET STRING wrapper
    const jwk = { kty: "EC", crv: "P-256", x: raw.subarray(1, 33).toString("base64url"), y: raw.subarray(33, 65).toString("base64url") }
    return new Uint8Array(createPublicKey({ key: jwk, format: "jwk" }).export({ format: "der", type: "spki" }))
  }
  return {
    handle: Buffer.from(session).toString("hex"),
    generate: (label, type) => {
      const common = [{ type: pkcs11js.CKA_TOKEN, value: true }, { type: pkcs11js.CKA_LABEL, value: label }]
      const ec = type === "EC-P256"
      const { publicKey } = lib.C_GenerateKeyPair(
        session,
        { mechanism: ec ? pkcs11js.CKM_EC_KEY_PAIR_GEN : pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
        [
          ...common,
          { type: pkcs11js.CKA_VERIFY, value: true },
          ...(ec
            ? [{ type: pkcs11js.CKA_EC_PARAMS, value: P256_PARAMS }]
            : [{ type: pkcs11js.CKA_MODULUS_BITS, value: type === "RSA-3072" ? 3072 : 2048 }, { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }]),
        ],
        [...common, { type: pkcs11js.CKA_SIGN, value: true }, { type: pkcs11js.CKA_PRIVATE, value: true }, { type: pkcs11js.CKA_SENSITIVE, value: true }, { type: pkcs11js.CKA_EXTRACTABLE, value: false }],
      )
      return spki(publicKey)
    },
    publicKey: (label) => {
      const h = find(pkcs11js.CKO_PUBLIC_KEY, label)
      return h ? spki(h) : undefined
    },
    sign: (label, algorithm, data) => {
      const key = find(pkcs11js.CKO_PRIVATE_KEY, label)
      if (!key) return undefined
      const mechanism =
        algorithm === "ECDSA-P256-SHA256"
          ? { mechanism: pkcs11js.CKM_ECDSA } // SoftHSM2 lacks CKM_ECDSA_SHA256: hash here, sign the digest
          : algorithm === "RSA-PSS-SHA256"
            ? { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS_PSS, parameter: { type: pkcs11js.CK_PARAMS_RSA_PSS, hashAlg: pkcs11js.CKM_SHA256, mgf: pkcs11js.CKG_MGF1_SHA256, saltLen: 32 } }
            : { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }
      lib.C_SignInit(session, mechanism as P11.Mechanism, key)
      const input = algorithm === "ECDSA-P256-SHA256" ? createHash("sha256").update(data).digest() : Buffer.from(data)
      const out = lib.C_Sign(session, input, Buffer.alloc(1024))
      // Tokens return ECDSA as raw r||s; CMS wants the DER Ecdsa-Sig-Value.
      return algorithm === "ECDSA-P256-SHA256" ? new Uint8Array(createCMSECDSASignature(new Uint8Array(out).buffer)) : new Uint8Array(out)
    },
    close: () => {
      if (!open) return
      open = false
      // No C_Logout: it would end the login of every other session of this process.
      lib.C_CloseSession(session)
      if (login && --login.sessions <= 0 && logins.get(loginKey) === login) logins.delete(loginKey)
    },
  }
}
