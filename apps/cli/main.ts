/**
 * The `signet` command. Each sub-command is a module in ./commands exporting
 * `run(args): Promise<exitCode>`; `signet help` lists them.
 */
const usage = `signet <command> [options]

commands:
  admin create --username NAME --name DISPLAY [--password PW]
                          create a staff account for the admin app (password from
                          --password, SIGNET_ADMIN_PASSWORD, or asked on the terminal)
  admin reset-totp --username NAME
                          forget a staff member's authenticator (they enrol again)
  demo --out DIR          run a three-party contract through the core use cases on the
                          configured database; write DIR/contract.pdf, DIR/trust-root.pem
                          and DIR/evidence (the contract's evidence bundle)
  agent --origin URL [--module PATH] [--port 17860]
                          local signing agent for a USB-Key (PKCS#11; default module SoftHSM2):
                          listens on 127.0.0.1 only, answers only the portal at URL, asks the
                          PIN on this terminal (--pin-file PATH: automated tests only)
  ca init --dir D         create a development CA (root + issuing) in D
  ca issue --dir D --cn NAME [--org ORG --uscc CODE] --out PREFIX
                          issue a person or enterprise certificate
  pdf sign --in IN.pdf --out OUT.pdf --key K.pem --cert C.pem [...]
                          add a PAdES signature as an incremental update
  pdf verify FILE.pdf [--trust ROOT.pem] [--json] [--allow-modified]
                          check every signature; exit 0 only if all are valid
  evidence export (--subject KIND:ID | --contract NUMBER) --out PATH [--no-openings]
                          write the evidence bundle of a contract, user, ... from the database
  evidence report --contract NUMBER --out FILE.pdf
                          write the contract's evidence report (出证报告) with its QR verification code
  evidence verify BUNDLE [--pdf FILE] [--log-key KEY|FILE] [--witness-key KEY ...] [--tsa-trust ROOT.pem ...]
                          re-check a bundle offline (no database); exit 0 only if nothing fails
  evidence publish | key | consistency --from SIZE [--to SIZE]
                          issue a checkpoint now; print the log key; print a consistency proof

configuration comes from the environment as for \`npm start\` (see README.md).`

const commands = new Set(["admin", "agent", "ca", "demo", "evidence", "pdf"])

export const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const [command, ...rest] = argv
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    console.log(usage)
    return command === undefined ? 2 : 0
  }
  if (!commands.has(command)) {
    console.error(`signet: unknown command "${command}"\n\n${usage}`)
    return 2
  }
  const mod = (await import(`./commands/${command}.ts`)) as { default: (args: ReadonlyArray<string>) => Promise<number> }
  try {
    return await mod.default(rest)
  } catch (e) {
    // Whatever a command lets escape is told in one line; a stack trace is not an answer.
    console.error(`signet ${command}: ${e instanceof Error ? e.message : String(e)}`)
    return 1
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("apps/cli/main.ts")) {
  process.exitCode = await main(process.argv.slice(2))
}
