/** `--name value` and `--flag` pairs; positional arguments under "_". */
export const parseArgs = (args: ReadonlyArray<string>): { readonly _: ReadonlyArray<string>; readonly [k: string]: string | true | ReadonlyArray<string> } => {
  const out: Record<string, string | true | Array<string>> = { _: [] as Array<string> }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a.startsWith("--")) {
      const next = args[i + 1]
      if (next === undefined || next.startsWith("--")) out[a.slice(2)] = true
      else {
        out[a.slice(2)] = next
        i++
      }
    } else (out._ as Array<string>).push(a)
  }
  return out as ReturnType<typeof parseArgs>
}

export const stringArg = (parsed: ReturnType<typeof parseArgs>, name: string): string | undefined => {
  const v = parsed[name]
  return typeof v === "string" ? v : undefined
}
