/**
 * `npm start` (the built dist/apps/main.js) and `npm run dev` (this file through tsx): the portal and the admin app
 * on two ports. Configuration comes from the environment (see README.md, apps/platform/config.ts). With
 * SIGNET_WORKERS > 1 (production default: one per core) this process is the cluster's primary: it forks the server
 * processes and serves nothing itself (apps/cluster.ts); the servers are loaded only where they run.
 */
import cluster from "node:cluster"
import { enableCompileCache } from "node:module"
import { ConfigError, loadConfig } from "./platform/config.ts"
import { LEAD_ENV, runCluster } from "./cluster.ts"

const config = (() => {
  try {
    return loadConfig(process.env)
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message)
      process.exit(2)
    }
    throw e
  }
})()

// V8's compiled code of the bundle kept on disk (Node's compile cache, in the OS temp directory): later starts skip
// compiling what did not change.
enableCompileCache()

if (cluster.isPrimary && config.workers > 1) runCluster(config.workers)
else {
  const { serveApps } = await import("./server.ts")
  await serveApps(config, cluster.isPrimary || process.env[LEAD_ENV] === "1")
  // A cluster's server tells the primary it listens (the primary starts the others after the lead).
  process.send?.({ signet: "listening" })
}
