/**
 * SIGNET_TRUST_ROOTS: root certificates of other CAs whose certificates may
 * sign contracts with keys their holders keep (issue 20). Each file is PEM
 * (one or more CERTIFICATE blocks) or DER; a file that cannot be read or holds
 * no certificate stops the start with its name.
 */
import { readFileSync } from "node:fs"
import * as pkijs from "pkijs"
import { pemBlocks } from "../../adapters/keys-software/pem.ts"
import { ConfigError } from "./config.ts"

export const readTrustRoots = (paths: ReadonlyArray<string>): ReadonlyArray<Uint8Array> =>
  paths.flatMap((path) => {
    let bytes: Uint8Array
    try {
      bytes = new Uint8Array(readFileSync(path))
    } catch (e) {
      throw new ConfigError(`invalid configuration:\n  SIGNET_TRUST_ROOTS: cannot read ${path} (${e instanceof Error ? e.message : String(e)})`)
    }
    const text = new TextDecoder("latin1").decode(bytes)
    const ders = text.includes("-----BEGIN") ? pemBlocks(text, "CERTIFICATE") : [bytes]
    for (const der of ders) {
      try {
        pkijs.Certificate.fromBER(new Uint8Array(der))
      } catch {
        throw new ConfigError(`invalid configuration:\n  SIGNET_TRUST_ROOTS: ${path} holds no certificate (want PEM or DER)`)
      }
    }
    if (ders.length === 0) throw new ConfigError(`invalid configuration:\n  SIGNET_TRUST_ROOTS: ${path} holds no certificate (want PEM or DER)`)
    return ders
  })
