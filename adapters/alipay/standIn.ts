/**
 * A local stand-in for the Alipay open platform gateway, for tests: it checks
 * merchant requests the way Alipay does (RSA2 with the merchant's public key,
 * app id, biz_content) and answers with its own RSA key pair: signed query
 * responses and signed asynchronous notifications form-posted to notify_url;
 * refunds (alipay.trade.refund, once per out_request_no, never more than the
 * trade took) and their query. `tamper` makes it answer as an attacker in the
 * middle would: a forged signature, a replay of an earlier signed answer, an
 * edited amount (signature kept) or a validly signed other amount.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto"
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"
import { beijingTimestamp } from "./gateway.ts"
import { NOTIFY_EXCLUDES, publicKeyOf, REQUEST_EXCLUDES, rsa2Sign, rsa2Verify, signingString } from "./rsa2.ts"

interface Trade {
  outTradeNo: string
  totalAmount: string
  subject: string
  notifyUrl: string
  returnUrl: string
  status: "WAIT_BUYER_PAY" | "TRADE_SUCCESS"
  tradeNo: string
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

interface StandInRefund {
  outTradeNo: string
  outRequestNo: string
  refundAmount: string
}

export type Tamper = "forge" | "replay" | "reamount" | "reamount-signed"

export interface AlipayStandIn {
  readonly gatewayUrl: string
  /** The stand-in's public key, which the merchant configures as "Alipay's public key". */
  readonly alipayPublicKeyPem: string
  readonly trades: Map<string, Trade>
  /** Signs notification parameters with the stand-in's key (tests build validly signed odd notifications with it). */
  readonly signNotification: (params: Record<string, string>) => Record<string, string>
  /** The buyer pays: the trade succeeds and the signed notification is posted to notify_url (unless `deliver` is false). Returns it. */
  readonly pay: (outTradeNo: string, deliver?: boolean) => Promise<Record<string, string>>
  /** When set, query responses carry a wrong signature. */
  corruptResponses: boolean
  /** Refund answers as an attacker or a faulty provider would give them (refund and refund query responses). */
  tamper: Tamper | null
  /** When set, refunds are refused as when the merchant's balance is short. */
  refuseRefunds: boolean
  /** The signed asynchronous notification Alipay sends after a refund (trade_status_sync with out_biz_no and refund_fee). */
  readonly refundNotification: (outTradeNo: string, outRequestNo: string) => Record<string, string>
  readonly refunds: Map<string, StandInRefund>
  readonly close: () => Promise<void>
}

export const startAlipayStandIn = async (options: { readonly appId: string; readonly appPublicKey: string }): Promise<AlipayStandIn> => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
  const appKey: KeyObject = publicKeyOf(options.appPublicKey)
  const trades = new Map<string, Trade>()
  const refunds = new Map<string, StandInRefund>()
  /** Every signed refund answer sent, by response key, for replays. */
  const sentAnswers = new Map<string, Array<string>>()

  const respond = (key: string, payload: Record<string, string>, corrupt: boolean) => {
    const json = JSON.stringify(payload)
    const sign = rsa2Sign(corrupt ? `${json} ` : json, privateKey)
    return `{"${key}":${json},"sign":"${sign}"}`
  }
  /** A refund answer, honest or tampered with as `standIn.tamper` says. */
  const refundAnswer = (key: string, payload: Record<string, string>) => {
    const t = standIn.tamper
    const earlier = sentAnswers.get(key) ?? []
    if (t === "replay" && earlier.length > 0) return earlier[0]!
    if (t === "reamount-signed" && payload.refund_amount !== undefined) return respond(key, { ...payload, refund_amount: bump(payload.refund_amount) }, false)
    const body = respond(key, payload, t === "forge")
    if (t === "reamount" && payload.refund_amount !== undefined) return body.replace(`"refund_amount":"${payload.refund_amount}"`, `"refund_amount":"${bump(payload.refund_amount)}"`)
    if (t === null && payload.code === "10000") sentAnswers.set(key, [...earlier, body])
    return body
  }
  const fen = (yuan: string) => Math.round(Number(yuan) * 100)
  const bump = (yuan: string) => (fen(yuan) / 100 + 1).toFixed(2)

  const signNotification = (params: Record<string, string>) => ({ ...params, sign: rsa2Sign(signingString(params, NOTIFY_EXCLUDES), privateKey) })

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    const params = Object.fromEntries(req.method === "POST" ? new URLSearchParams(await readBody(req)) : url.searchParams)
    const method = params.method ?? ""
    const html = (status: number, text: string) => res.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(`<p>${text}</p>`)
    const json = (body: string) => res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(body)
    const queryError = (code: string, msg: string, subCode: string) =>
      json(respond("alipay_trade_query_response", { code, msg, sub_code: subCode, sub_msg: subCode }, standIn.corruptResponses))
    if (url.pathname !== "/gateway.do") return html(404, "not found")
    const valid = params.sign_type === "RSA2" && params.app_id === options.appId &&
      rsa2Verify(signingString(params, REQUEST_EXCLUDES), params.sign ?? "", appKey)
    if (method === "alipay.trade.page.pay") {
      if (!valid) return html(400, "invalid-signature")
      const biz = JSON.parse(params.biz_content ?? "{}") as Record<string, string>
      if (biz.product_code !== "FAST_INSTANT_TRADE_PAY" || !/^\d+\.\d{2}$/.test(biz.total_amount ?? "") || !biz.out_trade_no) return html(400, "invalid-parameter")
      const existing = trades.get(biz.out_trade_no)
      if (existing?.status === "TRADE_SUCCESS") return html(400, "trade-has-success")
      trades.set(biz.out_trade_no, {
        outTradeNo: biz.out_trade_no, totalAmount: biz.total_amount!, subject: biz.subject ?? "", status: "WAIT_BUYER_PAY",
        notifyUrl: params.notify_url ?? "", returnUrl: params.return_url ?? "", tradeNo: `2026${Date.now()}${randomBytes(4).toString("hex")}`,
      })
      return html(200, `收银台 ${biz.out_trade_no} ￥${biz.total_amount}`)
    }
    if (method === "alipay.trade.query") {
      if (!valid) return queryError("40002", "Invalid Arguments", "isv.invalid-signature")
      const biz = JSON.parse(params.biz_content ?? "{}") as Record<string, string>
      const t = trades.get(biz.out_trade_no ?? "")
      if (t === undefined) return queryError("40004", "Business Failed", "ACQ.TRADE_NOT_EXIST")
      return json(respond("alipay_trade_query_response", {
        code: "10000", msg: "Success", out_trade_no: t.outTradeNo, trade_no: t.tradeNo, trade_status: t.status,
        total_amount: t.totalAmount, buyer_logon_id: "159****0000",
      }, standIn.corruptResponses))
    }
    if (method === "alipay.trade.refund") {
      const key = "alipay_trade_refund_response"
      const fail = (code: string, subCode: string) => json(refundAnswer(key, { code, msg: "Business Failed", sub_code: subCode, sub_msg: subCode }))
      if (!valid) return fail("40002", "isv.invalid-signature")
      const biz = JSON.parse(params.biz_content ?? "{}") as Record<string, string>
      const t = trades.get(biz.out_trade_no ?? "")
      if (t === undefined) return fail("40004", "ACQ.TRADE_NOT_EXIST")
      if (t.status !== "TRADE_SUCCESS" || (biz.trade_no !== undefined && biz.trade_no !== t.tradeNo)) return fail("40004", "ACQ.TRADE_STATUS_ERROR")
      if (!/^\d+\.\d{2}$/.test(biz.refund_amount ?? "") || !biz.out_request_no) return fail("40004", "ACQ.REFUND_FEE_ERROR")
      const id = `${t.outTradeNo}/${biz.out_request_no}`
      const earlier = refunds.get(id)
      if (earlier !== undefined && earlier.refundAmount !== biz.refund_amount) return fail("40004", "ACQ.DISCORDANT_REPEAT_REQUEST")
      if (earlier === undefined) {
        if (standIn.refuseRefunds) return fail("40004", "ACQ.SELLER_BALANCE_NOT_ENOUGH")
        const already = [...refunds.values()].filter((r) => r.outTradeNo === t.outTradeNo).reduce((n, r) => n + fen(r.refundAmount), 0)
        if (already + fen(biz.refund_amount!) > fen(t.totalAmount)) return fail("40004", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL")
        refunds.set(id, { outTradeNo: t.outTradeNo, outRequestNo: biz.out_request_no, refundAmount: biz.refund_amount! })
      }
      const total = [...refunds.values()].filter((r) => r.outTradeNo === t.outTradeNo).reduce((n, r) => n + fen(r.refundAmount), 0)
      return json(refundAnswer(key, {
        code: "10000", msg: "Success", trade_no: t.tradeNo, out_trade_no: t.outTradeNo, buyer_logon_id: "159****0000",
        fund_change: earlier === undefined ? "Y" : "N", refund_fee: (total / 100).toFixed(2),
      }))
    }
    if (method === "alipay.trade.fastpay.refund.query") {
      const key = "alipay_trade_fastpay_refund_query_response"
      if (!valid) return json(refundAnswer(key, { code: "40002", msg: "Invalid Arguments", sub_code: "isv.invalid-signature", sub_msg: "" }))
      const biz = JSON.parse(params.biz_content ?? "{}") as Record<string, string>
      const r = refunds.get(`${biz.out_trade_no}/${biz.out_request_no}`)
      const t = trades.get(biz.out_trade_no ?? "")
      // Alipay answers success with no refund fields for a number it never refunded under.
      if (r === undefined || t === undefined) return json(refundAnswer(key, { code: "10000", msg: "Success" }))
      return json(refundAnswer(key, {
        code: "10000", msg: "Success", trade_no: t.tradeNo, out_trade_no: r.outTradeNo, out_request_no: r.outRequestNo,
        total_amount: t.totalAmount, refund_amount: r.refundAmount, refund_status: "REFUND_SUCCESS",
      }))
    }
    return html(400, "invalid-method")
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo

  const standIn: AlipayStandIn = {
    gatewayUrl: `http://127.0.0.1:${port}/gateway.do`,
    alipayPublicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    trades,
    signNotification,
    corruptResponses: false,
    tamper: null,
    refuseRefunds: false,
    refundNotification: (outTradeNo, outRequestNo) => {
      const t = trades.get(outTradeNo)
      const r = refunds.get(`${outTradeNo}/${outRequestNo}`)
      if (t === undefined || r === undefined) throw new Error(`stand-in: no refund ${outRequestNo}`)
      const total = [...refunds.values()].filter((x) => x.outTradeNo === outTradeNo).reduce((n, x) => n + fen(x.refundAmount), 0)
      const now = beijingTimestamp(Date.now())
      return signNotification({
        notify_time: now, notify_type: "trade_status_sync", notify_id: randomBytes(16).toString("hex"), app_id: options.appId, charset: "utf-8",
        version: "1.0", sign_type: "RSA2", trade_no: t.tradeNo, out_trade_no: t.outTradeNo, out_biz_no: outRequestNo,
        trade_status: total >= fen(t.totalAmount) ? "TRADE_CLOSED" : "TRADE_SUCCESS", total_amount: t.totalAmount, refund_fee: (total / 100).toFixed(2),
        gmt_refund: `${now}.000`,
      })
    },
    refunds,
    pay: async (outTradeNo, deliver = true) => {
      const t = trades.get(outTradeNo)
      if (t === undefined) throw new Error(`stand-in: no trade ${outTradeNo}`)
      t.status = "TRADE_SUCCESS"
      const now = beijingTimestamp(Date.now())
      const params = signNotification({
        notify_time: now, notify_type: "trade_status_sync", notify_id: randomBytes(16).toString("hex"), app_id: options.appId,
        charset: "utf-8", version: "1.0", sign_type: "RSA2", trade_no: t.tradeNo, out_trade_no: t.outTradeNo,
        trade_status: "TRADE_SUCCESS", total_amount: t.totalAmount, receipt_amount: t.totalAmount, buyer_pay_amount: t.totalAmount,
        subject: t.subject, gmt_create: now, gmt_payment: now, buyer_id: "2088102000000000",
      })
      if (deliver) {
        const res = await fetch(t.notifyUrl, { method: "POST", body: new URLSearchParams(params) })
        if ((await res.text()).trim() !== "success") throw new Error("stand-in: merchant did not answer success")
      }
      return params
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
  return standIn
}
