import { Schema } from "effect"
import { OrderCatalogue, type CatalogueShape } from "../ports/OrderCatalogue.ts"
import { Fen } from "./Money.ts"

/** The USB-Key kind (O2): the main key 主锁 or an additional secondary key 副锁 for the same certificate holder. */
export const KeyType = Schema.Literals(["main", "secondary"])
export type KeyType = typeof KeyType.Type

/** New application 新办 or online reissue 补办 of a lost / damaged key (O1). */
export const Business = Schema.Literals(["new", "reissue"])
export type Business = typeof Business.Type

/** Who the certificate is for: an enterprise 企业 or a person 个人 (O1). */
export const Applicant = Schema.Literals(["enterprise", "personal"])
export type Applicant = typeof Applicant.Type

export const ValidityYears = Schema.Number.pipe(Schema.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 5 }, { message: "years.range" })))

export const PackageId = Schema.String.pipe(Schema.check(Schema.isPattern(/^[a-z0-9-]{1,40}$/, { message: "package.invalid" })))
export type PackageId = typeof PackageId.Type

/** A package 套餐 (O2): key type, validity in years, price per key in fen. */
export class Package extends Schema.Class<Package>("Package")({
  id: PackageId,
  name: Schema.String,
  keyType: KeyType,
  years: ValidityYears,
  priceFen: Fen,
}) {}

/** A self-pickup point 自提点 (O5): where, whom to call, when it is open. */
export class PickupPoint extends Schema.Class<PickupPoint>("PickupPoint")({
  id: Schema.String,
  name: Schema.String,
  address: Schema.String,
  phone: Schema.String,
  hours: Schema.String,
}) {}

/** The fee rules the price breakdown applies (all fen). */
export const PricingRules = Schema.Struct({
  /** Flat express fee per order, whatever the number of keys. */
  expressFeeFen: Fen,
  /** Service fee per order by business: a reissue carries a handling fee, a new application none by default. */
  serviceFeeFen: Schema.Struct({ new: Fen, reissue: Fen }),
})
export type PricingRules = typeof PricingRules.Type

const pkg = (keyType: KeyType, years: number, priceFen: number) =>
  new Package({ id: `${keyType}-${years}y`, name: `${keyType === "main" ? "主锁" : "副锁"} ${years}年`, keyType, years, priceFen })

/** The development catalogue: main key 300 元/year, secondary key 150 元/year, multi-year discount of 10 % per extra year (capped at 30 %). */
export const defaultCatalogue: CatalogueShape = {
  packages: (["main", "secondary"] as const).flatMap((k) =>
    [1, 2, 3, 4, 5].map((y) => pkg(k, y, Math.round((k === "main" ? 30_000 : 15_000) * y * (100 - Math.min(30, (y - 1) * 10)) / 100)))
  ),
  pickupPoints: [
    new PickupPoint({ id: "nj-hq", name: "南京总部服务大厅", address: "江苏省南京市建邺区江东中路 1 号", phone: "025-80000000", hours: "周一至周五 9:00-17:00" }),
    new PickupPoint({ id: "sz-office", name: "苏州服务点", address: "江苏省苏州市工业园区星湖街 2 号", phone: "0512-60000000", hours: "周一至周五 9:00-12:00, 13:30-17:00" }),
  ],
  rules: { expressFeeFen: 1_500, serviceFeeFen: { new: 0, reissue: 5_000 } },
}

export const layerDefaultCatalogue = OrderCatalogue.make(defaultCatalogue)
