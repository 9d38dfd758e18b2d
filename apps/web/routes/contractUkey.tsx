/**
 * 使用 USB-Key 签署 (issue 20): the sign page's script asks the local agent
 * (`signet agent`) for the certificate and the signature; these two JSON
 * routes prepare the party's signature for that certificate and complete it.
 * The token PIN is the willingness check and never reaches them. Errors are
 * JSON `{ error }` in zh-CN; the CSRF token travels in `x-csrf-token`.
 */
import { Hono } from "hono"
import { Effect, Schema } from "effect"
import { completeOnContract, prepareForUser } from "../../../core/contracts/externalSigning.ts"
import { checkKeyHeldOffered } from "../../../core/contracts/keyHeldOffer.ts"
import { NumericId } from "../../../core/kernel/Ids.ts"
import { visibleContract } from "../../../core/contracts/store.ts"
import { failureOf } from "../../platform/http/runner.ts"
import type { WebContext, WebDeps, WebEnv } from "../context.tsx"
import { currentUser } from "./account.tsx"
import { messageOf, type WebError } from "../catalogue.ts"

const Base64 = Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Za-z0-9+/]{16,24000}={0,2}$/, { message: "base64.invalid" })))
const PrepareBody = Schema.Struct({ certificate: Base64, party: Schema.optionalKey(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 99 })))) })
const CompleteBody = Schema.Struct({ preparedId: Schema.String.pipe(Schema.check(Schema.isPattern(/^[0-9a-f]{32}$/))), signatureValue: Base64, certificate: Base64 })

const der = (b64: string) => new Uint8Array(Buffer.from(b64, "base64"))

export const contractUkeyRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  const contractId = (c: WebContext) => Schema.decodeUnknownOption(NumericId)(c.req.param("id"))
  const body = async <S extends Schema.Decoder<unknown>>(c: WebContext, schema: S) => {
    try {
      return Schema.decodeUnknownOption(schema)(await c.req.json())
    } catch {
      return Schema.decodeUnknownOption(schema)(undefined)
    }
  }
  const refuse = (c: WebContext, error: WebError) =>
    c.json({ error: messageOf(error) }, error._tag === "NotFound" ? 404 : error._tag === "KeyHeldNotOffered" ? 403 : error._tag === "PreparedSignatureUsed" || error._tag === "PreparedSignatureStale" ? 409 : 422)

  /** The contract id when the user may see the contract: anyone else's is "not found" whatever the body says. */
  const visibleId = async (c: WebContext) => {
    const id = contractId(c)
    if (id._tag === "None") return undefined
    const exit = await deps.exit(visibleContract(id.value, currentUser(c)))
    return exit._tag === "Success" ? id : undefined
  }
  const notFound = (c: WebContext) => c.json({ error: "合同不存在或无权查看" }, 404)

  app.post("/:id/ukey/prepare", async (c) => {
    const id = await visibleId(c)
    if (id === undefined) return notFound(c)
    const input = await body(c, PrepareBody)
    if (input._tag === "None") return c.json({ error: "未取得 USB-Key 证书，请重试" }, 400)
    const user = currentUser(c)
    const exit = await deps.exit(checkKeyHeldOffered(user, id.value, input.value.party).pipe(
      Effect.andThen(prepareForUser(user, id.value, der(input.value.certificate), [], input.value.party)),
    ))
    const error = failureOf(exit)
    if (error !== undefined) return refuse(c, error)
    if (exit._tag === "Failure") throw exit.cause
    const p = exit.value
    return c.json({ ...p, toBeSigned: Buffer.from(p.toBeSigned).toString("base64") })
  })

  app.post("/:id/ukey/complete", async (c) => {
    const id = await visibleId(c)
    if (id === undefined) return notFound(c)
    const input = await body(c, CompleteBody)
    if (input._tag === "None") return c.json({ error: "签名数据无效，请重试" }, 400)
    const { preparedId, signatureValue, certificate } = input.value
    const exit = await deps.exit(completeOnContract(id.value, preparedId, { kind: "user", user: currentUser(c) }, der(signatureValue), [der(certificate)], { confirmation: "token-pin" }))
    const error = failureOf(exit)
    if (error !== undefined) return refuse(c, error)
    if (exit._tag === "Failure") throw exit.cause
    return c.json({ redirect: `/contracts/${exit.value.contract.id}?done=signed` })
  })
  return app
}
