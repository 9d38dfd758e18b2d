#!/usr/bin/env node
// The `signet` bin: runs the TypeScript CLI through tsx (Node >= 22; `npx signet` uses the project's Node 24).
import { register } from "tsx/esm/api"

register()
const { main } = await import("../apps/cli/main.ts")
process.exitCode = await main(process.argv.slice(2))
