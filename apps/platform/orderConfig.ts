import { existsSync } from "node:fs"
import { Result, Schema, SchemaIssue } from "effect"
import { defaultCatalogue } from "../../core/orders/Catalogue.ts"

const Url = Schema.String.pipe(Schema.check(Schema.isPattern(/^https?:\/\/[^\s]+$/, { message: "must be an http(s) URL" })))
const NonEmpty = Schema.String.pipe(Schema.check(Schema.isNonEmpty({ message: "must not be empty" })))
const Port = Schema.NumberFromString.pipe(Schema.check(Schema.isInt({ message: "must be a whole number" }), Schema.isBetween({ minimum: 1, maximum: 65535 }, { message: "must be a port number 1-65535" })))
const Pin = Schema.String.pipe(Schema.check(Schema.isPattern(/^[0-9A-Za-z]{4,32}$/, { message: "must be 4-32 letters or digits" })))

const PickupPoints = Schema.fromJsonString(
  Schema.Array(Schema.Struct({ id: Schema.String.pipe(Schema.check(Schema.isPattern(/^[a-z0-9-]{1,40}$/, { message: "id: lowercase letters, digits, -" }))), name: NonEmpty, address: NonEmpty, phone: NonEmpty, hours: NonEmpty }))
    .pipe(Schema.check(Schema.isMinLength(1, { message: "must list at least one pickup point" }))),
)

/** The order variables (O5 pickup points, O6 Alipay, O8 USB-Key module, O10 SMTP). README.md documents each one. */
const Env = Schema.Struct({
  SIGNET_PICKUP_POINTS: Schema.optional(PickupPoints),
  SIGNET_SMTP_HOST: Schema.optional(NonEmpty),
  SIGNET_SMTP_PORT: Schema.optional(Port),
  SIGNET_SMTP_SECURE: Schema.optional(Schema.Literals(["true", "false"])),
  SIGNET_SMTP_USER: Schema.optional(NonEmpty),
  SIGNET_SMTP_PASSWORD: Schema.optional(NonEmpty),
  SIGNET_SMTP_FROM: Schema.optional(Schema.String.pipe(Schema.check(Schema.isPattern(/^(?:[^<>]*<)?[^\s@<>]+@[^\s@<>]+>?$/, { message: "must be an address, e.g. Signet <no-reply@example.cn>" })))),
  SIGNET_ALIPAY_APP_ID: Schema.optional(NonEmpty),
  SIGNET_ALIPAY_GATEWAY: Schema.optional(Url),
  SIGNET_ALIPAY_PRIVATE_KEY: Schema.optional(NonEmpty),
  SIGNET_ALIPAY_PUBLIC_KEY: Schema.optional(NonEmpty),
  SIGNET_USBKEY_MODULE: Schema.optional(NonEmpty),
  SIGNET_USBKEY_SO_PIN: Schema.optional(Pin),
  SIGNET_USBKEY_USER_PIN: Schema.optional(Pin),
})

export interface PickupPointSetting { readonly id: string; readonly name: string; readonly address: string; readonly phone: string; readonly hours: string }

export interface OrderSettings {
  /** O5 self-pickup points; the development catalogue's two when unset. */
  readonly pickupPoints: ReadonlyArray<PickupPointSetting>
  /** O10 e-mail; unset: the dev profile keeps mail in an outbox, production sends none (logged). */
  readonly smtp: { readonly host: string; readonly port: number; readonly secure: boolean; readonly user: string | null; readonly password: string | null; readonly from: string } | null
  /** O6 Alipay page pay; unset: the dev profile uses the mock gateway, production refuses payments. */
  readonly alipay: { readonly appId: string; readonly gatewayUrl: string; readonly privateKey: string; readonly publicKey: string } | null
  /** O8 the PKCS#11 module USB-Keys are made with; unset: the dev profile uses SoftHSM2 when installed. */
  readonly usbKey: { readonly module: string; readonly soPin: string; readonly userPin: string } | null
}

const together = (env: Readonly<Record<string, unknown>>, names: ReadonlyArray<string>, what: string) => {
  const set = names.filter((n) => env[n] !== undefined)
  return set.length === 0 || set.length === names.length ? [] : [`${names.join(", ")}: set all ${what} or none`]
}

/** Decodes the order variables; problems name the variable (config.ts stops the start with them). */
export const loadOrderSettings = (env: Record<string, string | undefined>): { readonly value: OrderSettings; readonly problems: ReadonlyArray<string> } => {
  const decoded = Schema.decodeUnknownResult(Env)(env, { errors: "all", onExcessProperty: "ignore" })
  const empty: OrderSettings = { pickupPoints: defaultCatalogue.pickupPoints, smtp: null, alipay: null, usbKey: null }
  if (Result.isFailure(decoded)) {
    const issues = SchemaIssue.makeFormatterStandardSchemaV1()(decoded.failure.issue).issues
    return { value: empty, problems: issues.map((i) => `${i.path?.join(".")}: ${i.message}`) }
  }
  const e = decoded.success
  const problems = [
    ...together(e, ["SIGNET_ALIPAY_APP_ID", "SIGNET_ALIPAY_PRIVATE_KEY", "SIGNET_ALIPAY_PUBLIC_KEY"], "three"),
    ...together(e, ["SIGNET_USBKEY_MODULE", "SIGNET_USBKEY_SO_PIN", "SIGNET_USBKEY_USER_PIN"], "three"),
    ...together(e, ["SIGNET_SMTP_USER", "SIGNET_SMTP_PASSWORD"], "two"),
    ...(e.SIGNET_SMTP_HOST !== undefined && e.SIGNET_SMTP_FROM === undefined ? ["SIGNET_SMTP_FROM: required with SIGNET_SMTP_HOST"] : []),
    ...(e.SIGNET_SMTP_HOST === undefined && [e.SIGNET_SMTP_PORT, e.SIGNET_SMTP_USER, e.SIGNET_SMTP_FROM, e.SIGNET_SMTP_SECURE].some((x) => x !== undefined)
      ? ["SIGNET_SMTP_HOST: required with the other SIGNET_SMTP_* variables"]
      : []),
    ...(e.SIGNET_USBKEY_MODULE !== undefined && !existsSync(e.SIGNET_USBKEY_MODULE) ? [`SIGNET_USBKEY_MODULE: no such file ${e.SIGNET_USBKEY_MODULE}`] : []),
    ...(e.SIGNET_PICKUP_POINTS !== undefined && new Set(e.SIGNET_PICKUP_POINTS.map((p) => p.id)).size !== e.SIGNET_PICKUP_POINTS.length
      ? ["SIGNET_PICKUP_POINTS: ids must be unique"]
      : []),
  ]
  const port = e.SIGNET_SMTP_PORT ?? (e.SIGNET_SMTP_SECURE === "true" ? 465 : 587)
  return {
    problems,
    value: {
      pickupPoints: e.SIGNET_PICKUP_POINTS ?? empty.pickupPoints,
      smtp: e.SIGNET_SMTP_HOST === undefined || e.SIGNET_SMTP_FROM === undefined ? null : {
        host: e.SIGNET_SMTP_HOST, port, secure: e.SIGNET_SMTP_SECURE === undefined ? port === 465 : e.SIGNET_SMTP_SECURE === "true",
        user: e.SIGNET_SMTP_USER ?? null, password: e.SIGNET_SMTP_PASSWORD ?? null, from: e.SIGNET_SMTP_FROM,
      },
      alipay: e.SIGNET_ALIPAY_APP_ID === undefined || e.SIGNET_ALIPAY_PRIVATE_KEY === undefined || e.SIGNET_ALIPAY_PUBLIC_KEY === undefined ? null : {
        appId: e.SIGNET_ALIPAY_APP_ID, gatewayUrl: e.SIGNET_ALIPAY_GATEWAY ?? "https://openapi.alipay.com/gateway.do",
        privateKey: e.SIGNET_ALIPAY_PRIVATE_KEY, publicKey: e.SIGNET_ALIPAY_PUBLIC_KEY,
      },
      usbKey: e.SIGNET_USBKEY_MODULE === undefined || e.SIGNET_USBKEY_SO_PIN === undefined || e.SIGNET_USBKEY_USER_PIN === undefined ? null : {
        module: e.SIGNET_USBKEY_MODULE, soPin: e.SIGNET_USBKEY_SO_PIN, userPin: e.SIGNET_USBKEY_USER_PIN,
      },
    },
  }
}
