import { Layer, ManagedRuntime } from "effect"
import { ConfigError, loadConfig, type Config } from "../platform/config.ts"
import { layerApp } from "../platform/layers.ts"
import { resolveSecrets } from "../platform/secrets.ts"

/** The configuration from the environment, or null after printing what is wrong with it. */
export const cliConfig = (): Config | null => {
  try {
    return loadConfig(process.env)
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : String(e))
    return null
  }
}

/** The apps' runtime on the configured database, for commands that run use cases. */
export const cliRuntime = (config: Config, command: string) =>
  ManagedRuntime.make(layerApp(config, resolveSecrets(config), `${command}:${process.pid}`).pipe(Layer.orDie))
