import { describe, expect, it } from "vitest"
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { defaultCatalogue, Package } from "./Catalogue.ts"
import { fenFromYuan, yuanString } from "./Money.ts"
import { priceBreakdown } from "./pricing.ts"

const arbFen = fc.integer({ min: 0, max: 10_000_000 })
const arbRules = fc.record({ expressFeeFen: arbFen, serviceFeeFen: fc.record({ new: arbFen, reissue: arbFen }) })
const arbPackage = fc.record({
  keyType: fc.constantFrom("main" as const, "secondary" as const),
  years: fc.integer({ min: 1, max: 5 }),
  priceFen: arbFen,
}).map((p) => new Package({ ...p, id: `${p.keyType}-${p.years}y`, name: "p" }))
const arbInput = fc.record({
  pkg: arbPackage,
  quantity: fc.integer({ min: 1, max: 10 }),
  business: fc.constantFrom("new" as const, "reissue" as const),
  delivery: fc.constantFrom("express" as const, "pickup" as const),
})

describe("price breakdown (O5)", () => {
  test.prop([arbRules, arbInput])("integers whose parts add up to the amount payable", (rules, input) => {
    const b = priceBreakdown(rules, input)
    for (const v of [b.goodsFen, b.deliveryFeeFen, b.serviceFeeFen, b.payableFen]) {
      expect(Number.isSafeInteger(v) && v >= 0).toBe(true)
    }
    expect(b.payableFen).toBe(b.goodsFen + b.deliveryFeeFen + b.serviceFeeFen)
    expect(b.goodsFen).toBe(input.pkg.priceFen * input.quantity)
  })

  test.prop([arbRules, arbInput])("self-pickup is free; express costs exactly the express fee more", (rules, input) => {
    const pickup = priceBreakdown(rules, { ...input, delivery: "pickup" })
    const express = priceBreakdown(rules, { ...input, delivery: "express" })
    expect(pickup.deliveryFeeFen).toBe(0)
    expect(express.payableFen - pickup.payableFen).toBe(rules.expressFeeFen)
  })

  test.prop([arbRules, arbInput])("a reissue and a new application differ only by the service fee", (rules, input) => {
    const n = priceBreakdown(rules, { ...input, business: "new" })
    const r = priceBreakdown(rules, { ...input, business: "reissue" })
    expect(r.payableFen - n.payableFen).toBe(rules.serviceFeeFen.reissue - rules.serviceFeeFen.new)
    expect([r.goodsFen, r.deliveryFeeFen]).toEqual([n.goodsFen, n.deliveryFeeFen])
  })

  it("development catalogue: a 2-year main key by express, reissued", () => {
    const pkg = defaultCatalogue.packages.find((p) => p.id === "main-2y")!
    expect(pkg.priceFen).toBe(54_000)
    expect(priceBreakdown(defaultCatalogue.rules, { pkg, quantity: 1, business: "reissue", delivery: "express" })).toMatchObject({
      goodsFen: 54_000, deliveryFeeFen: 1_500, serviceFeeFen: 5_000, payableFen: 60_500,
    })
  })

  it("development catalogue: ten packages, main and secondary for 1-5 years, integer prices", () => {
    expect(defaultCatalogue.packages.map((p) => p.id)).toEqual(
      ["main", "secondary"].flatMap((k) => [1, 2, 3, 4, 5].map((y) => `${k}-${y}y`)),
    )
    expect(defaultCatalogue.packages.every((p) => Number.isInteger(p.priceFen))).toBe(true)
  })
})

describe("yuan strings at the gateway boundary", () => {
  test.prop([fc.integer({ min: 0, max: 99_999_999_999 })])("fen -> yuan -> fen is exact", (fen) => {
    expect(fenFromYuan(yuanString(fen))).toBe(fen)
  })
  it("parses the forms gateways send and refuses the rest", () => {
    expect([fenFromYuan("0.01"), fenFromYuan("12"), fenFromYuan("12.3"), fenFromYuan("605.00")]).toEqual([1, 1200, 1230, 60_500])
    for (const bad of ["", "12.345", "-1.00", "1e3", " 1.00", "01.00", "1,000.00", "NaN", "0x10"]) expect(fenFromYuan(bad)).toBeNull()
  })
})
