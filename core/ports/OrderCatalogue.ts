import { Context, Layer } from "effect"
import type { Package, PickupPoint, PricingRules } from "../orders/Catalogue.ts"

export interface CatalogueShape {
  readonly packages: ReadonlyArray<Package>
  readonly pickupPoints: ReadonlyArray<PickupPoint>
  readonly rules: PricingRules
}

/** What is for sale and at what fees; configuration, not user input. */
export class OrderCatalogue extends Context.Service<OrderCatalogue, CatalogueShape>()("core/orders/OrderCatalogue") {
  static readonly make = (shape: CatalogueShape) => Layer.succeed(OrderCatalogue, shape)
}
