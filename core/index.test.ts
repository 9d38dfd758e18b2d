import { describe, expect, it } from "vitest"

describe("package exports (embedders)", () => {
  it("`signet/core` resolves through package.json exports and exposes use cases and machines", async () => {
    const core = await import("signet/core")
    expect(typeof core.registerUser).toBe("function")
    expect(typeof core.ContractMachine.transition).toBe("function")
    expect(typeof core.signPdf).toBe("function")
  })

  it("adapters and the testing kit resolve by subpath", async () => {
    const sql = await import("signet/adapters/sql")
    const testing = await import("signet/testing")
    expect(typeof sql.layerSqlite).toBe("function")
    expect(testing.contractCommands.length).toBeGreaterThan(3)
  })
})
