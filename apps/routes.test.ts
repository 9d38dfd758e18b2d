import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bootForTest } from "../fixtures/boot.ts"
import { routeKeys, routeMatrixSuite } from "../fixtures/routeMatrix.ts"
import { routeClasses } from "./platform/routeClasses.ts"

describe("route inventory (issue 16, Deliver 8)", () => {
  let app: Awaited<ReturnType<typeof bootForTest>>
  beforeAll(async () => { app = await bootForTest() })
  afterAll(() => app.close())

  it("every route of the portal, the partner API and the admin app is classified in apps/platform/routeClasses.ts, and nothing there is stale", () => {
    const live = routeKeys(app)
    expect([...live].filter((k) => routeClasses[k] === undefined), "unclassified routes").toEqual([])
    expect(Object.keys(routeClasses).filter((k) => !live.has(k)), "classified routes that no longer exist").toEqual([])
    expect(live.size).toBeGreaterThan(150)
  })
})

routeMatrixSuite("SQLite", () => bootForTest())
