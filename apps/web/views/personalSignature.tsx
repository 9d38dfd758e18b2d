import { Option } from "effect"
import type { Signature } from "../../../core/seals/signaturesModel.ts"
import { CsrfInput, FormError, Notice, PostButton, type Errors } from "../../platform/views/form.tsx"
import { dateTime } from "./seals.tsx"
import { SignatureForm, SignaturePad, sourceLabel } from "./sealsSignatures.tsx"

/**
 * 个人账户 → 我的签名: the signature every box of the person shows when they sign. Three ways to make one: draw it
 * (finger, pen or mouse), upload a photo, or generate a 个人名章 with their name.
 */
export const PersonalSignaturePage = (p: {
  csrf: string
  signature: Option.Option<Signature>
  name: string | null
  errors?: Errors | undefined
  notice?: string | undefined
}) => {
  const errors = p.errors ?? {}
  return (
    <div class="stack">
      {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
      <FormError errors={errors} />
      <section class="card">
        <h2 class="card-title">当前签名</h2>
        {Option.isSome(p.signature) ? (
          <div class="detail-head">
            <img src={`/account/signature/image.png?v=${p.signature.value.id}`} alt="我的签名" style="max-width: 300px; max-height: 120px; background: #fff; border: 1px solid #eceef1; border-radius: 6px" />
            <p class="muted">{sourceLabel[p.signature.value.source]}于 {dateTime(p.signature.value.createdAt)}</p>
            <PostButton action="/account/signature/delete" csrf={p.csrf} label="删除签名" variant="danger" confirm="删除签名？删除后签署时将以您的姓名代替手写签名" />
          </div>
        ) : <p class="empty">尚未设置签名：签署合同时，签名位置将显示您的姓名。</p>}
        <p class="hint">签署合同时，您的签名会出现在发起方为您放置的每个签名位置。企业有权签字人在企业中使用同一签名。</p>
      </section>
      <section class="card">
        <h2 class="card-title">手写或上传签名</h2>
        <SignatureForm csrf={p.csrf} action="/account/signature" errors={errors} />
      </section>
      <section class="card">
        <h2 class="card-title">生成个人名章</h2>
        <p class="muted">按您的姓名生成方形红色名章（如“{p.name ?? "张三"}之印”），作为签名使用。</p>
        {p.name === null ? <p class="field-error">请先在“我的账户”中填写姓名。</p> : (
          <form method="post" action="/account/signature/stamp" class="form compact">
            <CsrfInput token={p.csrf} />
            <button class="btn btn-secondary" type="submit">生成名章并设为签名</button>
          </form>
        )}
      </section>
      <script src="/static/signature-pad.js" defer></script>
    </div>
  )
}

/** On the sign page (a person's party): draw a signature for this contract only; left empty, the saved one (or the name) is used. */
export const SigningPad = () => (
  <>
    <SignaturePad label="手写签名（选填：不写则使用“我的签名”，未设置时显示您的姓名）" />
    <script src="/static/signature-pad.js" defer></script>
  </>
)
