import { describe, expect, it } from "vitest"
import { defaultCatalogue } from "../../core/orders/Catalogue.ts"
import { loadOrderSettings } from "./orderConfig.ts"

const ok = (env: Record<string, string>) => {
  const r = loadOrderSettings(env)
  expect(r.problems).toEqual([])
  return r.value
}
const problems = (env: Record<string, string>) => loadOrderSettings(env).problems.join("\n")

describe("order configuration (O5, O6, O8, O10)", () => {
  it("nothing set: the catalogue's pickup points, no SMTP, no Alipay, no token module", () => {
    expect(ok({})).toEqual({ pickupPoints: defaultCatalogue.pickupPoints, smtp: null, alipay: null, usbKey: null })
  })

  it("pickup points from JSON: at least one, unique ids, every field", () => {
    const point = { id: "bj-1", name: "北京服务点", address: "北京市海淀区 1 号", phone: "010-1", hours: "9:00-17:00" }
    expect(ok({ SIGNET_PICKUP_POINTS: JSON.stringify([point]) }).pickupPoints).toEqual([point])
    expect(problems({ SIGNET_PICKUP_POINTS: "[]" })).toContain("SIGNET_PICKUP_POINTS")
    expect(problems({ SIGNET_PICKUP_POINTS: JSON.stringify([point, point]) })).toContain("ids must be unique")
    expect(problems({ SIGNET_PICKUP_POINTS: JSON.stringify([{ ...point, phone: "" }]) })).toContain("SIGNET_PICKUP_POINTS")
    expect(problems({ SIGNET_PICKUP_POINTS: "not json" })).toContain("SIGNET_PICKUP_POINTS")
  })

  it("SMTP: host needs a From; port 465 means implicit TLS unless told; user and password go together", () => {
    expect(ok({ SIGNET_SMTP_HOST: "smtp.example.cn", SIGNET_SMTP_FROM: "Signet <no-reply@example.cn>" }).smtp)
      .toEqual({ host: "smtp.example.cn", port: 587, secure: false, user: null, password: null, from: "Signet <no-reply@example.cn>" })
    expect(ok({ SIGNET_SMTP_HOST: "h", SIGNET_SMTP_PORT: "465", SIGNET_SMTP_FROM: "a@b.cn", SIGNET_SMTP_USER: "u", SIGNET_SMTP_PASSWORD: "p" }).smtp)
      .toMatchObject({ port: 465, secure: true, user: "u", password: "p" })
    expect(problems({ SIGNET_SMTP_HOST: "h" })).toContain("SIGNET_SMTP_FROM")
    expect(problems({ SIGNET_SMTP_FROM: "a@b.cn" })).toContain("SIGNET_SMTP_HOST")
    expect(problems({ SIGNET_SMTP_HOST: "h", SIGNET_SMTP_FROM: "a@b.cn", SIGNET_SMTP_USER: "u" })).toContain("SIGNET_SMTP_USER, SIGNET_SMTP_PASSWORD")
    expect(problems({ SIGNET_SMTP_HOST: "h", SIGNET_SMTP_FROM: "a@b.cn", SIGNET_SMTP_PORT: "70000" })).toContain("SIGNET_SMTP_PORT")
  })

  it("Alipay: app id and both keys together; the gateway defaults to the open platform", () => {
    const a = ok({ SIGNET_ALIPAY_APP_ID: "2021000000000000", SIGNET_ALIPAY_PRIVATE_KEY: "k", SIGNET_ALIPAY_PUBLIC_KEY: "p" }).alipay
    expect(a?.gatewayUrl).toBe("https://openapi.alipay.com/gateway.do")
    expect(problems({ SIGNET_ALIPAY_APP_ID: "2021" })).toContain("set all three")
    expect(problems({ SIGNET_ALIPAY_APP_ID: "1", SIGNET_ALIPAY_PRIVATE_KEY: "k", SIGNET_ALIPAY_PUBLIC_KEY: "p", SIGNET_ALIPAY_GATEWAY: "ftp://x" })).toContain("SIGNET_ALIPAY_GATEWAY")
  })

  it("USB-Key module: an existing file with both PINs", () => {
    expect(problems({ SIGNET_USBKEY_MODULE: "/nonexistent/libp11.so", SIGNET_USBKEY_SO_PIN: "1234", SIGNET_USBKEY_USER_PIN: "5678" })).toContain("no such file")
    expect(problems({ SIGNET_USBKEY_MODULE: "/bin/sh" })).toContain("set all three")
    expect(problems({ SIGNET_USBKEY_MODULE: "/bin/sh", SIGNET_USBKEY_SO_PIN: "1 2", SIGNET_USBKEY_USER_PIN: "5678" })).toContain("SIGNET_USBKEY_SO_PIN")
    expect(ok({ SIGNET_USBKEY_MODULE: "/bin/sh", SIGNET_USBKEY_SO_PIN: "1234", SIGNET_USBKEY_USER_PIN: "5678" }).usbKey).toEqual({ module: "/bin/sh", soPin: "1234", userPin: "5678" })
  })
})
