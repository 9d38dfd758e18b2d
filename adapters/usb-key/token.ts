/**
 * Token initialisation and inspection through PKCS#11 itself (C_InitToken,
 * C_InitPIN, C_CreateObject): a token initialised by an outside tool after
 * the module was loaded is invisible to the process (SoftHSM2 reads its
 * token directory at C_Initialize), and real USB-Key middleware is driven the
 * same way. Key generation and signing stay in adapters/pkcs11.
 */
import type * as P11 from "pkcs11js"
import pkcs11js from "pkcs11js"
import { Certificate } from "pkijs"
import { isSessionOpen } from "../pkcs11/index.ts"

const libs = new Map<string, P11.PKCS11>()

/**
 * A handle on the module, sharing the process-wide initialisation with
 * adapters/pkcs11 (which must run C_Initialize first: it does not accept
 * CKR_CRYPTOKI_ALREADY_INITIALIZED, this code does).
 */
const moduleOf = (path: string): P11.PKCS11 => {
  const existing = libs.get(path)
  if (existing) return existing
  isSessionOpen(path, "0000000000000000") // makes adapters/pkcs11 load and initialise the module
  const lib = new pkcs11js.PKCS11()
  lib.load(path)
  try {
    lib.C_Initialize()
  } catch (e) {
    if (!String(e).includes("CKR_CRYPTOKI_ALREADY_INITIALIZED")) throw e
  }
  libs.set(path, lib)
  return lib
}

const labelOf = (lib: P11.PKCS11, slot: P11.Handle) => lib.C_GetTokenInfo(slot).label.trim()

export const tokenExists = (path: string, label: string): boolean => {
  const lib = moduleOf(path)
  return lib.C_GetSlotList(true).some((s) => (lib.C_GetTokenInfo(s).flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0 && labelOf(lib, s) === label)
}

/** Initialises a blank token (the first slot without an initialised token) with `label`, SO PIN and user PIN. */
export const initToken = (path: string, label: string, soPin: string, userPin: string): void => {
  const lib = moduleOf(path)
  const blank = lib.C_GetSlotList(true).find((s) => (lib.C_GetTokenInfo(s).flags & pkcs11js.CKF_TOKEN_INITIALIZED) === 0)
  if (blank === undefined) throw new Error("no blank token present")
  if (label.length > 32) throw new Error("a token label has at most 32 characters")
  // PKCS#11 labels are 32 bytes padded with blanks; a shorter buffer is read past its end.
  lib.C_InitToken(blank, soPin, label.padEnd(32, " "))
  const slot = lib.C_GetSlotList(true).find((s) => labelOf(lib, s) === label)
  if (slot === undefined) throw new Error(`token ${label} not found after initialisation`)
  const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION)
  try {
    lib.C_Login(session, pkcs11js.CKU_SO, soPin)
    lib.C_InitPIN(session, userPin)
    lib.C_Logout(session)
  } finally {
    lib.C_CloseSession(session)
  }
}

/** Runs `f` in a read-write session on the token labelled `label`, logged in as user. */
export const withTokenSession = <A>(path: string, label: string, pin: string, f: (lib: P11.PKCS11, session: P11.Handle) => A): A => {
  const lib = moduleOf(path)
  const slot = lib.C_GetSlotList(true).find((s) => labelOf(lib, s) === label)
  if (slot === undefined) throw new Error(`no token labelled ${label}`)
  const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION)
  try {
    try {
      lib.C_Login(session, pkcs11js.CKU_USER, pin)
    } catch (e) {
      if (!String(e).includes("CKR_USER_ALREADY_LOGGED_IN")) throw e
    }
    return f(lib, session)
  } finally {
    lib.C_CloseSession(session)
  }
}

/** Stores the certificate on the token next to the key with the same label (what a USB-Key carries to the customer). */
export const storeCertificate = (path: string, label: string, pin: string, keyLabel: string, der: Uint8Array): void =>
  withTokenSession(path, label, pin, (lib, session) => {
    lib.C_CreateObject(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
      { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_LABEL, value: keyLabel },
      { type: pkcs11js.CKA_SUBJECT, value: Buffer.from(Certificate.fromBER(new Uint8Array(der)).subject.toSchema().toBER()) },
      { type: pkcs11js.CKA_VALUE, value: Buffer.from(der) },
    ])
  })

/**
 * Destroys every object on the token labelled `label` (a key pair or
 * certificate left by a key making that failed half-way), leaving the
 * initialised token with its PINs, ready to be made again.
 */
export const clearToken = (path: string, label: string, pin: string): number =>
  withTokenSession(path, label, pin, (lib, session) => {
    lib.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_TOKEN, value: true }])
    const all = lib.C_FindObjects(session, 100)
    lib.C_FindObjectsFinal(session)
    for (const h of all) lib.C_DestroyObject(session, h)
    return all.length
  })

const find = (lib: P11.PKCS11, session: P11.Handle, cls: number, label: string) => {
  lib.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: cls }, { type: pkcs11js.CKA_LABEL, value: label }])
  const found = lib.C_FindObjects(session, 10)
  lib.C_FindObjectsFinal(session)
  return found
}

const flag = (lib: P11.PKCS11, session: P11.Handle, h: P11.Handle, type: number) => {
  const [attr] = lib.C_GetAttributeValue(session, h, [{ type }])
  return (attr?.value as Buffer)[0] === 1
}

export interface KeyOnToken {
  readonly privateKeys: number
  readonly sensitive: boolean
  readonly extractable: boolean
  readonly neverExtractable: boolean
  readonly generatedOnToken: boolean
  /** What the token answered when asked for the private value itself. */
  readonly valueRead: "refused" | "returned"
  readonly certificateDer: Uint8Array | null
}

/** What the token says about the key labelled `keyLabel` (for checks and tests; reads no secret). */
export const inspectKey = (path: string, label: string, pin: string, keyLabel: string): KeyOnToken =>
  withTokenSession(path, label, pin, (lib, session) => {
    const keys = find(lib, session, pkcs11js.CKO_PRIVATE_KEY, keyLabel)
    const key = keys[0]
    if (key === undefined) throw new Error(`no private key ${keyLabel} on ${label}`)
    let valueRead: "refused" | "returned" = "returned"
    try {
      lib.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_VALUE }])
    } catch (e) {
      if (!String(e).includes("CKR_ATTRIBUTE_SENSITIVE")) throw e
      valueRead = "refused"
    }
    const cert = find(lib, session, pkcs11js.CKO_CERTIFICATE, keyLabel)[0]
    const certificateDer = cert === undefined
      ? null
      : new Uint8Array(lib.C_GetAttributeValue(session, cert, [{ type: pkcs11js.CKA_VALUE }])[0]?.value as Buffer)
    return {
      privateKeys: keys.length,
      sensitive: flag(lib, session, key, pkcs11js.CKA_SENSITIVE),
      extractable: flag(lib, session, key, pkcs11js.CKA_EXTRACTABLE),
      neverExtractable: flag(lib, session, key, pkcs11js.CKA_NEVER_EXTRACTABLE),
      generatedOnToken: flag(lib, session, key, pkcs11js.CKA_LOCAL),
      valueRead,
      certificateDer,
    }
  })

/** A certificate on a token as the signing agent lists it (no PIN needed: certificates are public objects). */
export interface TokenCertificate {
  readonly token: string
  readonly label: string
  readonly certificateDer: Uint8Array
}

/** Every X.509 certificate on every initialised token of the module, read in sessions without login. */
export const listCertificates = (path: string): ReadonlyArray<TokenCertificate> => {
  const lib = moduleOf(path)
  const out: Array<TokenCertificate> = []
  for (const slot of lib.C_GetSlotList(true)) {
    if ((lib.C_GetTokenInfo(slot).flags & pkcs11js.CKF_TOKEN_INITIALIZED) === 0) continue
    const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION)
    try {
      lib.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }])
      const handles = lib.C_FindObjects(session, 32)
      lib.C_FindObjectsFinal(session)
      for (const h of handles) {
        const [label, value] = lib.C_GetAttributeValue(session, h, [{ type: pkcs11js.CKA_LABEL }, { type: pkcs11js.CKA_VALUE }])
        out.push({ token: labelOf(lib, slot), label: String(label?.value ?? ""), certificateDer: new Uint8Array(value?.value as Buffer) })
      }
    } finally {
      lib.C_CloseSession(session)
    }
  }
  return out
}
