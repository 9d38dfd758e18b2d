/**
 * The mock provider's own checkout pages (O6), imitating Alipay (scan a QR
 * code) and CFCA 中金支付 (choose a bank). A standalone Hono app: mount it
 * where `checkoutBaseUrl` points. The amount shown and paid is the one the
 * shop registered with createPayment, never anything in these forms.
 */
import { createHash } from "node:crypto"
import { type Context, Hono } from "hono"
import type { FC, PropsWithChildren } from "hono/jsx"
import { yuanString } from "../../core/orders/Money.ts"
import type { Deliver, MockProvider, MockTrade } from "./provider.ts"

export const BANKS = ["中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "交通银行", "招商银行"] as const

const Page: FC<PropsWithChildren<{ title: string }>> = ({ title, children }) => (
  <html lang="zh-CN">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      <style>{"body{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}.amount{font-size:1.6rem;color:#d4380d}button{padding:.5rem 1.2rem;margin:.3rem 0}"}</style>
    </head>
    <body>
      <p><strong>模拟支付平台</strong>（开发环境，不产生真实扣款）</p>
      <h1>{title}</h1>
      {children}
    </body>
  </html>
)

const Summary: FC<{ trade: MockTrade }> = ({ trade }) => (
  <dl>
    <dt>订单号</dt>
    <dd data-testid="out-trade-no">{trade.outTradeNo}</dd>
    <dt>商品</dt>
    <dd>{trade.subject}</dd>
    <dt>应付金额</dt>
    <dd class="amount" data-testid="amount">￥{yuanString(trade.amountFen)}</dd>
  </dl>
)

/** A QR-looking picture derived from the trade (not a scannable code): 21x21 modules with the three finder squares. */
const FakeQr: FC<{ seed: string }> = ({ seed }) => {
  const bits = createHash("sha256").update(seed).digest()
  const cells: Array<{ x: number; y: number }> = []
  const finder = (x: number, y: number) => (x < 7 && y < 7) || (x > 13 && y < 7) || (x < 7 && y > 13)
  for (let y = 0; y < 21; y++) {
    for (let x = 0; x < 21; x++) {
      const on = finder(x, y)
        ? (x % 14 === 0 || x % 14 === 6 || y % 14 === 0 || y % 14 === 6 || (x % 14 >= 2 && x % 14 <= 4 && y % 14 >= 2 && y % 14 <= 4))
        : ((bits[(y * 21 + x) % 32]! >> ((x + y) % 8)) & 1) === 1
      if (on) cells.push({ x, y })
    }
  }
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="-2 -2 25 25" width="200" height="200" role="img" aria-label="支付二维码（模拟）">
      <rect x="-2" y="-2" width="25" height="25" fill="#fff" />
      {cells.map((c) => <rect x={c.x} y={c.y} width="1" height="1" fill="#000" />)}
    </svg>
  )
}

const back = (trade: MockTrade, result: "success" | "fail") => {
  const url = new URL(trade.returnUrl)
  url.searchParams.set("out_trade_no", trade.outTradeNo)
  url.searchParams.set("result", result)
  return url.toString()
}

/** `deliver` overrides how this checkout's notifications reach the shop (the portal posts them to itself in-process). */
export const mockCheckoutApp = (provider: MockProvider, options: { readonly deliver?: Deliver } = {}) => {
  const app = new Hono()
  const missing = (c: Context) => c.html(<Page title="交易不存在"><p>该交易不存在或已失效。</p></Page>, 404)

  app.get("/:no", async (c) => {
    const trade = await provider.trade(c.req.param("no"))
    if (trade === undefined) return missing(c)
    if (trade.status === "paid") return c.html(<Page title="订单已支付"><Summary trade={trade} /><p>该订单已支付。</p><a href={back(trade, "success")}>返回商户</a></Page>)
    return c.html(
      <Page title="选择支付方式">
        <Summary trade={trade} />
        <p><a href={`${c.req.path}/alipay`}>支付宝（扫码支付）</a></p>
        <p><a href={`${c.req.path}/cfca`}>中金支付（选择银行）</a></p>
        <form method="post" action={`${c.req.path}/cancel`}><button type="submit">取消支付，返回商户</button></form>
      </Page>,
    )
  })

  app.get("/:no/alipay", async (c) => {
    const trade = await provider.trade(c.req.param("no"))
    if (trade === undefined) return missing(c)
    return c.html(
      <Page title="支付宝扫码支付">
        <Summary trade={trade} />
        <FakeQr seed={trade.outTradeNo} />
        <p>请使用支付宝扫一扫（模拟）</p>
        <form method="post" action={c.req.path.replace(/\/alipay$/, "/pay")}>
          <input type="hidden" name="method" value="alipay" />
          <button type="submit">模拟扫码并付款</button>
        </form>
      </Page>,
    )
  })

  app.get("/:no/cfca", async (c) => {
    const trade = await provider.trade(c.req.param("no"))
    if (trade === undefined) return missing(c)
    return c.html(
      <Page title="中金支付">
        <Summary trade={trade} />
        <form method="post" action={c.req.path.replace(/\/cfca$/, "/pay")}>
          <input type="hidden" name="method" value="cfca" />
          <fieldset>
            <legend>选择银行</legend>
            {BANKS.map((b, i) => <label style="display:block"><input type="radio" name="bank" value={b} checked={i === 0} /> {b}</label>)}
          </fieldset>
          <button type="submit">去支付</button>
        </form>
      </Page>,
    )
  })

  app.post("/:no/pay", async (c) => {
    const trade = await provider.trade(c.req.param("no"))
    if (trade === undefined) return missing(c)
    const body = await c.req.parseBody()
    const method = body.method === "alipay" || body.method === "cfca" ? body.method : null
    const bank = typeof body.bank === "string" && (BANKS as ReadonlyArray<string>).includes(body.bank) ? body.bank : null
    if (method === null || (method === "cfca" && bank === null)) {
      return c.html(<Page title="支付失败"><Summary trade={trade} /><p role="alert">请选择支付方式和银行。</p></Page>, 422)
    }
    await provider.pay(trade.outTradeNo, method, bank, options.deliver)
    return c.redirect(back(trade, "success"), 303)
  })

  app.post("/:no/cancel", async (c) => {
    const trade = await provider.trade(c.req.param("no"))
    if (trade === undefined) return missing(c)
    return c.redirect(back(trade, "fail"), 303)
  })

  return app
}
