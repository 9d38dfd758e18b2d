/**
 * `signet ca init --dir D` creates (or opens) a development CA in D.
 * `signet ca issue --dir D --cn NAME [--org ORG --uscc CODE] [--id-number N] [--key-type rsa|ec] --out PREFIX`
 * writes PREFIX.key.pem, PREFIX.cert.pem and PREFIX.chain.pem.
 */
import { generateKeyPairSync } from "node:crypto"
import { writeFileSync } from "node:fs"
import { parseArgs } from "node:util"
import { Effect } from "effect"
import { issueSigningCertificate, openSoftwareCa, revoke, type Subject } from "../../../adapters/ca/index.ts"
import { masterKeyFromEnv, spkiOf, toPem } from "../../../adapters/keys-software/index.ts"

const usage = `usage:
  signet ca init --dir D
  signet ca issue --dir D --cn NAME [--org ORG --uscc CODE] [--id-number ID] [--key-type rsa|ec] --out PREFIX
  signet ca revoke --dir D --serial HEX`

export default async function run(args: ReadonlyArray<string>): Promise<number> {
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
  const ca = await Effect.runPromise(openSoftwareCa(values.dir, masterKeyFromEnv()))
  if (sub === "init") {
    console.log(ca.files.rootCert)
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
