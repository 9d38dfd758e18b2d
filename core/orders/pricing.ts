import { Schema } from "effect"
import type { Business, Package, PricingRules } from "./Catalogue.ts"
import { Fen } from "./Money.ts"

export const DeliveryMethod = Schema.Literals(["express", "pickup"])
export type DeliveryMethod = typeof DeliveryMethod.Type

export const Quantity = Schema.Number.pipe(Schema.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 10 }, { message: "quantity.range" })))

/** What the confirm page shows (O5): 商品总价, 配送费, 服务费, 应付总额 (fen). */
export class PriceBreakdown extends Schema.Class<PriceBreakdown>("PriceBreakdown")({
  goodsFen: Fen,
  deliveryFeeFen: Fen,
  serviceFeeFen: Fen,
  payableFen: Fen,
}) {}

export interface PriceInput {
  readonly pkg: Package
  readonly quantity: number
  readonly business: Business
  readonly delivery: DeliveryMethod
}

/**
 * The one place an order's price is decided (O5). Goods are the package price
 * times the number of keys; express costs a flat fee per order, self-pickup is
 * free; the service fee depends on the business (a reissue is handled for a
 * fee). The server always recomputes it: a price sent by the browser is never read.
 */
export const priceBreakdown = (rules: PricingRules, input: PriceInput): PriceBreakdown => {
  const goodsFen = input.pkg.priceFen * input.quantity
  const deliveryFeeFen = input.delivery === "express" ? rules.expressFeeFen : 0
  const serviceFeeFen = rules.serviceFeeFen[input.business]
  return new PriceBreakdown({ goodsFen, deliveryFeeFen, serviceFeeFen, payableFen: goodsFen + deliveryFeeFen + serviceFeeFen })
}
