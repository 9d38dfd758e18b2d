/**
 * `signet ca init --dir D` creates (or opens) a development CA in D. Its keys
 * are sealed under SIGNET_MASTER_KEY (required in production); in the dev
 * profile without one, under the dev master key of the data dir
 * ($SIGNET_DATA_DIR, default ./var: the key the apps use) when D lies inside
 * it, else of D itself (D/dev-secrets.json), so a CA dir elsewhere is whole.
 * `signet ca issue --dir D --cn NAME [--org ORG --uscc CODE] [--id-number N] [--key-type rsa|ec] --out PREFIX`
 * writes PREFIX.key.pem, PREFIX.cert.pem and PREFIX.chain.pem.
 */
import { generateKeyPairSync } from "node:crypto"
import { existsSync, writeFileSync } from "node:fs"
import { relative, resolve } from "node:path"
import { parseArgs } from "node:util"
import { Effect } from "effect"
import { caFiles, issueSigningCertificate, openSoftwareCa, revoke, type Subject } from "../../../adapters/ca/index.ts"
import { DEFAULT_DATA_DIR, masterKeyFromEnv, spkiOf, toPem } from "../../../adapters/keys-software/index.ts"

const usage = `usage:
  signet ca init --dir D
  signet ca issue --dir D --cn NAME [--org ORG --uscc CODE] [--id-number ID] [--key-type rsa|ec] --out PREFIX
  signet ca revoke --dir D --serial HEX`

const inside = (dir: string, parent: string) => {
  const rel = relative(resolve(parent), resolve(dir))
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith("/"))
}

/** Where the CA in `dir` takes its master key from (see the module comment). */
export const caMasterKey = (dir: string, env: Record<string, string | undefined>) => {
  const dataDir = env.SIGNET_DATA_DIR ?? DEFAULT_DATA_DIR
  return masterKeyFromEnv(env, {
    devDir: inside(dir, dataDir) ? dataDir : dir,
    // Never a fresh key for a CA whose keys already exist: they would not unseal.
    create: !existsSync(caFiles(dir).rootCert),
  })
}

export default async function run(args: ReadonlyArray<string>, env: Record<string, string | undefined> = process.env): Promise<number> {
  const [sub, ...rest] = args
  const { values } = parseArgs({
    args: [...rest],
    options: {
      dir: { type: "string" }, cn: { type: "string" }, org: { type: "string" }, uscc: { type: "string" },
      "id-number": { type: "string" }, "key-type": { type: "string", default: "rsa" }, out: { type: "string" }, serial: { type: "string" },
    },
    strict: true,
  })
  if (!values.dir || !sub) {
    console.error(usage)
    return 2
  }
  let master: ReturnType<typeof caMasterKey>
  try {
    master = caMasterKey(values.dir, env)
  } catch (e) {
    console.error(`signet ca: ${e instanceof Error ? e.message : String(e)}`)
    return 1
  }
  const ca = await Effect.runPromise(openSoftwareCa(values.dir, master.key))
  if (sub === "init") {
    console.log(ca.files.rootCert)
    console.log(master.from === "SIGNET_MASTER_KEY"
      ? "keys sealed under SIGNET_MASTER_KEY"
      : `keys sealed under the dev master key in ${master.file}${master.created ? " (new)" : ""}; production requires SIGNET_MASTER_KEY`)
    return 0
  }
  if (sub === "revoke" && values.serial) {
    await Effect.runPromise(revoke(ca, values.serial))
    console.log(ca.files.crl)
    return 0
  }
  if (sub !== "issue" || !values.cn || !values.out) {
    console.error(usage)
    return 2
  }
  if ((values.org === undefined) !== (values.uscc === undefined)) {
    console.error("--org and --uscc go together (enterprise certificate)")
    return 2
  }
  const subject: Subject = values.org && values.uscc
    ? { kind: "enterprise", name: values.cn, organization: values.org, uscc: values.uscc }
    : { kind: "person", name: values.cn, idNumber: values["id-number"] }
  const key = values["key-type"] === "ec"
    ? generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey
    : generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey
  const cert = await Effect.runPromise(issueSigningCertificate(ca, subject, spkiOf(key)))
  writeFileSync(`${values.out}.key.pem`, key.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 })
  writeFileSync(`${values.out}.cert.pem`, toPem(cert, "CERTIFICATE"))
  writeFileSync(`${values.out}.chain.pem`, toPem(ca.issuingDer, "CERTIFICATE") + toPem(ca.rootDer, "CERTIFICATE"))
  console.log(`${values.out}.cert.pem`)
  return 0
}
