import { defineConfig } from "vitest/config"

export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "hono/jsx" } },
  test: {
    include: ["core/**/*.test.ts", "adapters/**/*.test.ts", "apps/**/*.test.{ts,tsx}", "fixtures/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Access-log lines for every request of every test would drown the output: warnings and errors only.
    env: { SIGNET_LOG_LEVEL: "warn" },
    // Browser journeys poll the page; on a loaded 2-core CI machine pdf.js rendering can take seconds (default 1 s).
    expect: { poll: { timeout: 15_000 } },
  },
})
