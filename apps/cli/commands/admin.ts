import { createInterface } from "node:readline/promises"
import { Exit, Result, Schema } from "effect"
import { createStaff } from "../../../core/accounts/staff.ts"
import { resetStaffTotp } from "../../../core/accounts/staffTotp.ts"
import { StaffUsername } from "../../../core/accounts/User.ts"
import { NewPassword } from "../../../core/kernel/Password.ts"
import { cliConfig, cliRuntime } from "../appRuntime.ts"
import { parseArgs, stringArg } from "../args.ts"

const ask = async (question: string): Promise<string> => {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true })
  try {
    return await rl.question(question)
  } finally {
    rl.close()
  }
}

const usage = "usage: signet admin create --username NAME --name DISPLAY [--password PW]\n       signet admin reset-totp --username NAME"

/** `signet admin reset-totp`: forgets a staff member's authenticator (lost phone); they enrol again at their next log-in. */
const resetTotp = async (username: string): Promise<number> => {
  const config = cliConfig()
  if (config === null) return 2
  const runtime = cliRuntime(config, "cli")
  try {
    const exit = await runtime.runPromiseExit(resetStaffTotp(username))
    if (Exit.isSuccess(exit)) {
      console.log(`staff account "${username}": authenticator removed; it enrols a new one at its next log-in`)
      return 0
    }
    const reason = exit.cause.reasons[0]
    console.error(reason?._tag === "Fail" && reason.error._tag === "StaffNotFound" ? `signet admin reset-totp: no staff account "${username}"` : "signet admin reset-totp: failed")
    return 1
  } finally {
    await runtime.dispose()
  }
}

/** `signet admin create`: staff accounts exist only through this command (X1). */
export default async function run(args: ReadonlyArray<string>): Promise<number> {
  const parsed = parseArgs(args)
  if (parsed._[0] === "reset-totp") return resetTotp(stringArg(parsed, "username") ?? "")
  if (parsed._[0] !== "create") {
    console.error(usage)
    return 2
  }
  const username = stringArg(parsed, "username") ?? ""
  const name = stringArg(parsed, "name") ?? username
  if (Result.isFailure(Schema.decodeUnknownResult(StaffUsername)(username))) {
    console.error("signet admin create: --username must be 3-32 lower-case letters, digits, _ . -")
    return 2
  }
  const password = stringArg(parsed, "password") ?? process.env.SIGNET_ADMIN_PASSWORD ??
    (process.stdin.isTTY ? await ask("password (6-16, letters and digits): ") : "")
  const decoded = Schema.decodeUnknownResult(NewPassword)(password)
  if (Result.isFailure(decoded)) {
    console.error("signet admin create: the password must be 6-16 characters with letters and digits")
    return 2
  }
  const config = cliConfig()
  if (config === null) return 2
  const runtime = cliRuntime(config, "cli")
  try {
    const exit = await runtime.runPromiseExit(createStaff({ username, name, password: decoded.success }))
    if (Exit.isSuccess(exit)) {
      console.log(`staff account "${username}" created (${exit.value.id}); log in to the admin app with it`)
      return 0
    }
    const reason = exit.cause.reasons[0]
    console.error(reason?._tag === "Fail" && reason.error._tag === "StaffUsernameTaken"
      ? `signet admin create: "${username}" already exists`
      : "signet admin create: failed (see the database configuration)")
    return 1
  } finally {
    await runtime.dispose()
  }
}
