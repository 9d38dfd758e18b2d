import { defineConfig } from "vitest/config"
import DurationSequencer from "./fixtures/suite/testOrder.ts"

/**
 * Tests that set process-wide state a later file in the same process would inherit (SoftHSM2's config is read
 * from the environment once per process): they keep a fresh process per file.
 */
const processWide = ["adapters/pkcs11/**/*.test.ts", "adapters/usb-key/**/*.test.ts"]

export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "hono/jsx" } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // vitest's default is one worker fewer than the cores: a single test file at a time on a 2-core machine, while
    // much of a file's time is spent waiting (Chromium, Postgres, pdfsig, child processes). One worker per core.
    maxWorkers: "100%",
    // Longest files first over both projects, from recorded durations (fixtures/suite/testOrder.ts).
    sequence: { sequencer: DurationSequencer },
    // Access-log lines for every request of every test would drown the output: warnings and errors only.
    env: { SIGNET_LOG_LEVEL: "warn" },
    // Browser journeys poll the page; on a loaded 2-core CI machine pdf.js rendering can take seconds (default 1 s).
    expect: { poll: { timeout: 15_000 } },
    projects: [
      {
        extends: true,
        test: {
          // Pure core rules and adapters: no file leaves state another depends on, so one process per worker runs
          // them all and imports effect, pdf-lib, pkijs... once instead of once per file (README "Test suite").
          name: "unit",
          include: ["core/**/*.test.ts", "adapters/**/*.test.ts", "fixtures/**/*.test.ts"],
          exclude: processWide,
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          // The apps, booted per file on a copy of the demo data seeded once for the whole run (fixtures/boot.ts).
          name: "apps",
          include: ["apps/**/*.test.{ts,tsx}", ...processWide],
          globalSetup: ["fixtures/globalSetup.ts"],
        },
      },
    ],
  },
})
