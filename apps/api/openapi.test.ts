import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createApiApp } from "./app.tsx"
import { openApiDocument } from "./openapi.ts"
import { apiClient, bootApi, demoEnterprise, type TestApp } from "./fixtures.ts"

type Json = Record<string, any>

const doc = openApiDocument("https://sign.example.cn") as Json

/** Every `$ref` in the document, with where it was found. */
const refs = (node: unknown, at = "#"): Array<[string, string]> =>
  node === null || typeof node !== "object"
    ? []
    : Object.entries(node as Json).flatMap(([k, v]) => k === "$ref" && typeof v === "string" ? [[at, v] as [string, string]] : refs(v, `${at}/${k}`))

const resolve = (ref: string): unknown => ref.replace(/^#\//, "").split("/").reduce<unknown>((n, k) => (n as Json | undefined)?.[k], doc)

describe("OpenAPI 3.1 document of /api/v1", () => {
  it("is a well-formed OpenAPI 3.1 document: unique operation ids, described responses, every $ref resolves", () => {
    expect([doc.openapi, typeof doc.info.title, typeof doc.info.version, doc.servers[0].url]).toEqual(["3.1.0", "string", "string", "https://sign.example.cn/api/v1"])
    const ops = Object.entries(doc.paths as Json).flatMap(([path, methods]) => Object.entries(methods as Json).map(([method, op]) => ({ path, method, op: op as Json })))
    expect(new Set(ops.map((o) => o.op.operationId)).size).toBe(ops.length)
    for (const { path, op } of ops) {
      expect(path.startsWith("/")).toBe(true)
      for (const [status, r] of Object.entries(op.responses as Json)) {
        expect([status, typeof (r as Json).description]).toEqual([status, "string"])
      }
      // Path templates and path parameters agree.
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
      expect((op.parameters as Array<Json>).filter((p) => p.in === "path").map((p) => p.name).sort()).toEqual(templated)
    }
    const all = refs(doc)
    expect(all.length).toBeGreaterThan(5)
    for (const [at, ref] of all) expect([at, resolve(ref) !== undefined]).toEqual([at, true])
    expect(Object.keys(doc.components.schemas).every((k) => /^[a-zA-Z0-9.\-_]+$/.test(k))).toBe(true)
    expect(Object.keys(doc.webhooks).sort()).toEqual(["contract.completed", "contract.expired", "contract.rejected", "contract.revoked", "contract.sent", "contract.signed"])
  })

  it("describes exactly the routes the API app serves", () => {
    const app = createApiApp({ exit: (() => Promise.reject(new Error("not called"))) as never, publicUrl: "https://sign.example.cn", perKey: { hit: async () => 0 }, clientAddress: () => "local" })
    const served = new Set(app.routes
      .filter((r) => r.method !== "ALL" && !["/openapi.json", "/docs"].includes(r.path))
      .map((r) => `${r.method} ${r.path.replace(/\/:(\w+)/g, "/{$1}")}`))
    const documented = new Set(Object.entries(doc.paths as Json).flatMap(([path, methods]) => Object.keys(methods as Json).map((m) => `${m.toUpperCase()} ${path}`)))
    expect([...served].sort()).toEqual([...documented].sort())
  })

  it("the request schemas are the ones the routes decode with: required fields and enums as the Schemas say", () => {
    const create = doc.paths["/contracts"].post
    const template = resolve(create.requestBody.content["application/json"].schema.$ref) as Json
    expect([...template.required].sort()).toEqual(["deadline", "name", "parties", "template"])
    expect(template.properties.mode.enum).toEqual(["simultaneous", "sequential"])
    const upload = create.requestBody.content["multipart/form-data"].schema
    expect([upload.required, upload.properties.document.contentMediaType]).toEqual([["contract", "document"], "application/pdf"])
    const list = doc.paths["/contracts"].get.parameters as Array<Json>
    expect(list.map((p) => `${p.in}:${p.name}:${p.required}`).sort()).toEqual(
      ["query:after:false", "query:createdFrom:false", "query:createdTo:false", "query:name:false", "query:page:false", "query:pageSize:false", "query:status:false"],
    )
    expect(create.parameters.map((p: Json) => p.name)).toEqual(["Idempotency-Key"])
  })
})

describe("OpenAPI document served by the app", () => {
  let app: TestApp
  beforeAll(async () => {
    app = await bootApi()
  })
  afterAll(() => app.close())

  it("serves openapi.json and a docs page listing every operation, without authentication; a real response has the documented shape", async () => {
    const served = await (await app.web.request("/api/v1/openapi.json")).json() as Json
    expect(Object.keys(served.paths).sort()).toEqual(Object.keys(doc.paths).sort())
    const page = await app.web.request("/api/v1/docs")
    const html = await page.text()
    expect([page.status, html.includes("<script")]).toEqual([200, false])
    for (const methods of Object.values(served.paths as Json)) for (const op of Object.values(methods as Json)) expect(html).toContain(`<section id="${(op as Json).operationId}">`)

    const { admin, enterprise } = await demoEnterprise(app)
    const api = await apiClient(app, admin, enterprise.id)
    const created = await api.post("/api/v1/contracts", { json: {
      name: "保密协议", deadline: new Date(Date.now() + 86400_000).toISOString(), parties: [{ name: "张三", mobile: "13800000001" }, { name: "李四", mobile: "13800000002" }],
      template: { id: "nda", values: { partyA: "甲公司", partyB: "李四", years: "1", place: "上海" } },
    } })
    expect(created.status).toBe(201)
    const listed = await (await api.get("/api/v1/contracts")).json() as Json
    const listSchema = resolve(served.paths["/contracts"].get.responses["200"].content["application/json"].schema.$ref) as Json
    expect(Object.keys(listed).sort()).toEqual(Object.keys(listSchema.properties).sort())
    const contract = listed.items[0] as Json
    const contractSchema = served.components.schemas.Contract as Json
    expect(Object.keys(contract).sort()).toEqual(Object.keys(contractSchema.properties).sort())
    expect(contractSchema.required.every((k: string) => k in contract)).toBe(true)
    const partySchema = served.components.schemas.Party as Json
    expect(Object.keys(contract.parties[0]).sort()).toEqual(Object.keys(partySchema.properties).sort())
  })
})
