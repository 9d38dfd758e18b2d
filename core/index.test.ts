import { describe, expect, it } from "vitest"

// What `signet/core`, `signet/adapters/*` and `signet/testing` export, read from the source tree. That the package's
// exports resolve to built JavaScript for an embedder is fixtures/package/package.test.ts (npm pack, Node and Deno).
describe("library entry points (embedders)", () => {
  it("core exposes use cases and machines", async () => {
    const core = await import("./index.ts")
    expect(typeof core.registerUser).toBe("function")
    expect(typeof core.ContractMachine.transition).toBe("function")
    expect(typeof core.signPdf).toBe("function")
  })

  it("adapters and the testing kit expose their layers and arbitraries", async () => {
    const sql = await import("../adapters/sql/index.ts")
    const testing = await import("../fixtures/testing.ts")
    expect(typeof sql.layerSqlite).toBe("function")
    expect(testing.contractCommands.length).toBeGreaterThan(3)
  })
})
