import type { Address } from "../../../core/accounts/User.ts"
import type { Application } from "../../../core/orders/Application.ts"
import type { Applicant, Business, Package, PickupPoint } from "../../../core/orders/Catalogue.ts"
import type { MaterialSlot } from "../../../core/orders/orderMaterials.ts"
import type { PriceBreakdown } from "../../../core/orders/pricing.ts"
import { SAMPLE_DOCUMENTS } from "../../../core/orders/samplePdfs.ts"
import { CsrfInput, Field, FormError, Notice, type Errors, type Values } from "../../platform/views/form.tsx"
import { PhotoHint, Stepper, VerificationAssets } from "./verification.tsx"
import { PriceTable, slotText, yuan } from "./ordersText.tsx"

const STEPS = ["填写申请", "确认订单", "支付", "审核", "制证交付"]

export const kindText = (business: Business, applicant: Applicant) => `${applicant === "enterprise" ? "企业" : "个人"}${business === "new" ? "新办" : "补办"}`

const KINDS: ReadonlyArray<{ business: Business; applicant: Applicant; note: string }> = [
  { business: "new", applicant: "enterprise", note: "为企业申请电子签章及数字证书（USB-Key）" },
  { business: "new", applicant: "personal", note: "为个人申请电子签名及数字证书（USB-Key）" },
  { business: "reissue", applicant: "enterprise", note: "企业 USB-Key 遗失或损坏，在线补办并吊销原证书" },
  { business: "reissue", applicant: "personal", note: "个人 USB-Key 遗失或损坏，在线补办并吊销原证书" },
]

const keyText = (p: Package) => (p.keyType === "main" ? "主锁" : "副锁")

/** O1/O2: the business types and the packages (套餐). */
export const Shop = (p: { packages: ReadonlyArray<Package>; rules: { expressFeeFen: number; serviceFeeFen: { new: number; reissue: number } } }) => (
  <div class="stack">
    <section class="card">
      <h2 class="card-title">选择业务类型</h2>
      <div class="tiles">
        {KINDS.map((k) => (
          <a class="tile" href={`/orders/apply?business=${k.business}&applicant=${k.applicant}`}>
            <strong>{kindText(k.business, k.applicant)}</strong><span>{k.note}</span>
          </a>
        ))}
      </div>
    </section>
    <section class="card">
      <h2 class="card-title">套餐</h2>
      <div class="table-wrap">
        <table class="table table-stack" id="packages">
          <thead><tr><th>套餐</th><th>介质</th><th>有效期</th><th>价格</th></tr></thead>
          <tbody>{p.packages.map((k) => <tr><td data-label="套餐">{k.name}</td><td data-label="介质">USB-Key（{keyText(k)}）</td><td data-label="有效期">{k.years} 年</td><td data-label="价格">{yuan(k.priceFen)}</td></tr>)}</tbody>
        </table>
      </div>
      <p class="hint">快递配送费 {yuan(p.rules.expressFeeFen)}/单，上门自提免费；补办服务费 {yuan(p.rules.serviceFeeFen.reissue)}{p.rules.serviceFeeFen.new === 0 ? "，新办免服务费" : `，新办服务费 ${yuan(p.rules.serviceFeeFen.new)}`}。主锁为证书的主介质，副锁为同一证书持有人的备用介质。</p>
    </section>
  </div>
)

export interface StoredMaterial { readonly id: string; readonly pdf: boolean }

/** An upload with its stored file (after a round trip) or, with JavaScript, a preview of the chosen one. */
const MaterialField = (p: {
  slot: MaterialSlot; label: string; errors: Errors; stored: StoredMaterial | undefined; photo: boolean; action: string; ocr?: boolean; sample?: string | undefined
}) => {
  const error = p.errors[p.slot]
  const id = `f-${p.slot}`
  return (
    <div class={`field upload${error === undefined ? "" : " has-error"}`}>
      <label for={id}>{p.label}</label>
      <div class="upload-row">
        <div class="preview" data-preview-for={id}>
          {p.stored === undefined ? <span class="muted">未选择文件</span>
            : p.stored.pdf ? <a href={`/verification/files/${p.stored.id}`} target="_blank">已上传 PDF，点击查看</a>
            : <img src={`/verification/files/${p.stored.id}`} alt={`已上传的${p.label}`} />}
        </div>
        <div class="upload-actions">
          <input id={id} name={p.slot} type="file" accept={p.photo ? "image/jpeg,image/png" : "image/jpeg,image/png,application/pdf"}
            aria-invalid={error === undefined ? undefined : "true"} aria-describedby={error === undefined ? undefined : `${id}-error`} />
          {p.ocr === true ? <button class="btn btn-secondary" type="submit" formaction={`${p.action}?ocr=${p.slot}`} formnovalidate>上传并识别</button> : null}
          {p.sample === undefined ? null : <a class="link" href={p.sample} download>↓ 下载示例文档</a>}
        </div>
      </div>
      {p.stored === undefined ? null : <input type="hidden" name={`${p.slot}Id`} value={p.stored.id} />}
      {error === undefined ? null : <p class="field-error" id={`${id}-error`}>{error}</p>}
    </div>
  )
}

const USER_TYPES: Record<Applicant, ReadonlyArray<string>> = {
  enterprise: ["企业法人", "事业单位", "政府机关", "社会团体", "个体工商户"],
  personal: ["自然人", "个体工商户"],
}

const Select = (p: { name: string; label: string; options: ReadonlyArray<readonly [string, string]>; values: Values; errors: Errors }) => {
  const error = p.errors[p.name]
  return (
    <div class={`field${error === undefined ? "" : " has-error"}`}>
      <label for={`f-${p.name}`}>{p.label}</label>
      <select id={`f-${p.name}`} name={p.name} aria-invalid={error === undefined ? undefined : "true"}>
        <option value="">请选择</option>
        {p.options.map(([v, l]) => <option value={v} selected={p.values[p.name] === v}>{l}</option>)}
      </select>
      {error === undefined ? null : <p class="field-error" id={`f-${p.name}-error`}>{error}</p>}
    </div>
  )
}

/**
 * O3/O4 application: package, user type, the enterprise (licence -> OCR),
 * the holder's ID (-> OCR), the agent (ID -> OCR, mobile and e-mail for
 * notices), the three stamped documents with their samples; a reissue names
 * the lost certificate. Also the 修改订单 form of a rejected order (`edit`).
 */
export const ApplicationForm = (p: {
  csrf: string
  action: string
  business: Business
  applicant: Applicant
  packages: ReadonlyArray<Package>
  values: Values
  errors?: Errors | undefined
  stored: Partial<Record<MaterialSlot, StoredMaterial>>
  ocrNote?: string | undefined
  edit?: { readonly orderId: string; readonly packageName: string; readonly reasons: ReadonlyArray<string> } | undefined
  /** 补办: the applicant's own certificates (from earlier orders), offered to choose the lost one from. */
  certificates?: ReadonlyArray<{ readonly serial: string; readonly orderId: string; readonly holder: string; readonly packageName: string }> | undefined
}) => {
  const errors = p.errors ?? {}
  const enterprise = p.applicant === "enterprise"
  const samples = p.edit === undefined ? "/orders/samples" : `/orders/${p.edit.orderId}/samples`
  const field = (slot: MaterialSlot, photo: boolean, ocr = false) => (
    <MaterialField slot={slot} label={slotText(slot, p.applicant)} errors={errors} stored={p.stored[slot]} photo={photo} action={p.action} ocr={ocr}
      sample={photo ? undefined : `${samples}/${slot}.pdf`} />
  )
  return (
    <section class="card verification order-form">
      <VerificationAssets />
      {p.edit === undefined ? <Stepper steps={STEPS} current={0} /> : null}
      {p.edit === undefined || p.edit.reasons.length === 0 ? null : (
        <div class="alert alert-error rejection" role="alert" id="reject-reasons">
          <strong>审核不通过：</strong>
          <ul>{p.edit.reasons.map((r) => <li>{r}</li>)}</ul>
          <p>请根据以上原因修改后重新提交。</p>
        </div>
      )}
      <form method="post" action={p.action} enctype="multipart/form-data" class="form" novalidate>
        <CsrfInput token={p.csrf} />
        <input type="hidden" name="business" value={p.business} />
        <input type="hidden" name="applicant" value={p.applicant} />
        <FormError errors={errors} />
        {p.ocrNote === undefined ? null : <p class="ocr-note" role="status">{p.ocrNote}</p>}
        <h3>业务与套餐</h3>
        <dl class="facts"><dt>业务类型</dt><dd>{kindText(p.business, p.applicant)}</dd>{p.edit === undefined ? null : <><dt>套餐</dt><dd>{p.edit.packageName}（已支付，不可更改）</dd></>}</dl>
        {p.edit === undefined
          ? <Select name="packageId" label="套餐" values={p.values} errors={errors} options={p.packages.map((k) => [k.id, `${k.name} · ${k.years} 年 · ${yuan(k.priceFen)}`] as const)} />
          : <input type="hidden" name="packageId" value={p.values.packageId ?? ""} />}
        <Select name="userType" label="用户类型" values={p.values} errors={errors} options={USER_TYPES[p.applicant].map((t) => [t, t] as const)} />
        {p.business === "reissue" ? (
          <>
            {(p.certificates ?? []).length === 0 ? null : (
              <Select name="lostCertificatePick" label="选择要补办的证书（我的证书；不在列表中请在下方填写序列号）" values={p.values} errors={{}}
                options={(p.certificates ?? []).map((c) => [c.serial, `${c.holder} · ${c.packageName} · 序列号 ${c.serial}（订单 ${c.orderId}）`] as const)} />
            )}
            <Field name="lostCertificateSerial" label="原证书序列号（补办）" values={p.values} errors={errors} maxlength={64} placeholder="十六进制，见原证书或 USB-Key 管理工具"
              hint={(p.certificates ?? []).length === 0
                ? "须为本平台签发给同一持有人（企业或个人）的证书；补办完成时原证书将被吊销，列入证书吊销列表（CRL）。"
                : "已在上方选择时无需填写。须为本平台签发给同一持有人的证书；补办完成时原证书将被吊销（CRL）。"} />
          </>
        ) : null}
        {enterprise ? (
          <>
            <h3>企业信息</h3>
            {field("licence", true, true)}
            <PhotoHint>请上传营业执照彩色原件或加盖企业公章的复印件，系统将自动识别企业名称和统一社会信用代码，请核对。</PhotoHint>
            <Field name="enterpriseName" label="企业名称" values={p.values} errors={errors} maxlength={60} />
            <Field name="creditCode" label="统一社会信用代码" values={p.values} errors={errors} maxlength={18} placeholder="18 位统一社会信用代码" />
          </>
        ) : null}
        <h3>{enterprise ? "法定代表人" : "申请人"}</h3>
        {field("holderIdFront", true, true)}
        {field("holderIdBack", true)}
        <div class="grid-2 tight">
          <Field name="holderName" label="姓名" values={p.values} errors={errors} maxlength={30} />
          <Field name="holderIdNumber" label="身份证号" values={p.values} errors={errors} maxlength={18} />
        </div>
        <h3>经办人</h3>
        {field("agentIdFront", true, true)}
        {field("agentIdBack", true)}
        <div class="grid-2 tight">
          <Field name="agentName" label="经办人姓名" values={p.values} errors={errors} maxlength={30} />
          <Field name="agentIdNumber" label="经办人身份证号" values={p.values} errors={errors} maxlength={18} />
          <Field name="agentMobile" label="经办人手机号" type="tel" values={p.values} errors={errors} maxlength={11} hint="用于接收订单审核通知" />
          <Field name="agentEmail" label="经办人邮箱" type="email" values={p.values} errors={errors} maxlength={100} hint="用于接收订单通知邮件" />
        </div>
        <h3>申请材料</h3>
        <p class="hint">请下载示例文档，打印填写、签字并加盖公章后拍照或扫描上传（jpeg、jpg、png 或 PDF，每个文件不超过10M）。</p>
        {(Object.keys(SAMPLE_DOCUMENTS) as Array<keyof typeof SAMPLE_DOCUMENTS>).map((d) => field(d, false))}
        <button class="btn btn-primary btn-block" type="submit">{p.edit === undefined ? "下一步：确认订单" : "重新提交审核"}</button>
      </form>
    </section>
  )
}

/** The application carried through the confirm page (the server decodes and checks it again on submit). */
const ApplicationSummary = (p: { application: Application; pkg: Package }) => {
  const a = p.application
  return (
    <dl class="facts" id="application-summary">
      <dt>业务类型</dt><dd>{kindText(a.business, a.applicant)}</dd>
      <dt>套餐</dt><dd>{p.pkg.name}（{p.pkg.years} 年）</dd>
      <dt>用户类型</dt><dd>{a.userType}</dd>
      {a.enterprise === null ? null : <><dt>企业名称</dt><dd>{a.enterprise.name}</dd><dt>统一社会信用代码</dt><dd>{a.enterprise.creditCode}</dd></>}
      <dt>{a.applicant === "enterprise" ? "法定代表人" : "申请人"}</dt><dd>{a.holder.name}</dd>
      <dt>经办人</dt><dd>{a.agent.name} · {a.agent.mobile} · {a.agent.email}</dd>
      {a.lostCertificateSerial === null ? null : <><dt>原证书序列号</dt><dd class="mono">{a.lostCertificateSerial}</dd></>}
    </dl>
  )
}

/**
 * O5 确认订单: delivery by express to an address-book address (or one added
 * here) or self-pickup at a configured point; invoice; the price breakdown the
 * server computed for each delivery method. No price is posted back.
 */
export const ConfirmForm = (p: {
  csrf: string
  application: Application
  applicationJson: string
  pkg: Package
  addresses: ReadonlyArray<Address>
  pickupPoints: ReadonlyArray<PickupPoint>
  prices: { readonly express: PriceBreakdown; readonly pickup: PriceBreakdown }
  values: Values
  errors?: Errors | undefined
  notice?: string | undefined
}) => {
  const errors = p.errors ?? {}
  const v = p.values
  const delivery = v.delivery ?? (p.addresses.length > 0 ? "express" : "pickup")
  const err = (name: string) => (errors[name] === undefined ? null : <p class="field-error" id={`f-${name}-error`}>{errors[name]}</p>)
  return (
    <section class="card verification order-form">
      <VerificationAssets />
      <Stepper steps={STEPS} current={1} />
      {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
      <form method="post" action="/orders" class="form" novalidate>
        <CsrfInput token={p.csrf} />
        <input type="hidden" name="application" value={p.applicationJson} />
        <input type="hidden" name="submission" value={v.submission} />
        <FormError errors={errors} />
        <h3>申请信息</h3>
        <ApplicationSummary application={p.application} pkg={p.pkg} />
        <button class="link" type="submit" formaction="/orders/apply/back" formnovalidate>返回修改申请信息</button>
        <h3>配送方式</h3>
        <fieldset class={`choice${errors.delivery === undefined ? "" : " has-error"}`}>
          <legend>请选择配送方式</legend>
          <label class="check"><input type="radio" name="delivery" value="express" checked={delivery === "express"} /> 快递配送（{yuan(p.prices.express.deliveryFeeFen)}）</label>
          <label class="check"><input type="radio" name="delivery" value="pickup" checked={delivery === "pickup"} /> 上门自提（免费）</label>
          {err("delivery")}
        </fieldset>
        <div class={`field${errors.addressId === undefined ? "" : " has-error"}`} id="addresses">
          <p><strong>收货地址</strong>（快递配送）</p>
          {p.addresses.length === 0 ? <p class="muted">地址簿中还没有地址，请在下方添加。</p> : p.addresses.map((a) => (
            <label class="check" style="display:block">
              <input type="radio" name="addressId" value={a.id} checked={v.addressId === a.id || (v.addressId === undefined && a.isDefault)} />
              {" "}{a.recipient} {a.mobile} {a.region} {a.detail}{a.isDefault ? " （默认）" : ""}
            </label>
          ))}
          {err("addressId")}
          <details open={errors.recipient !== undefined || errors.mobile !== undefined || errors.region !== undefined || errors.detail !== undefined}>
            <summary>添加新地址</summary>
            <div class="grid-2 tight">
              <Field name="recipient" label="收货人" values={v} errors={errors} maxlength={30} />
              <Field name="mobile" label="手机号" type="tel" values={v} errors={errors} maxlength={11} />
              <Field name="region" label="所在地区" values={v} errors={errors} maxlength={60} placeholder="省 市 区" />
              <Field name="detail" label="详细地址" values={v} errors={errors} maxlength={120} />
            </div>
            <button class="btn btn-secondary" type="submit" formaction="/orders/confirm/address" formnovalidate>保存地址</button>
          </details>
        </div>
        <div class={`field${errors.pointId === undefined ? "" : " has-error"}`} id="pickup-points">
          <p><strong>自提点</strong>（上门自提）</p>
          {p.pickupPoints.map((pt, i) => (
            <label class="check" style="display:block">
              <input type="radio" name="pointId" value={pt.id} checked={v.pointId === pt.id || (v.pointId === undefined && i === 0)} />
              {" "}<strong>{pt.name}</strong>：{pt.address}，电话 {pt.phone}，营业时间 {pt.hours}
            </label>
          ))}
          {err("pointId")}
        </div>
        <h3>发票信息</h3>
        <fieldset class={`choice${errors.invoiceMedium === undefined ? "" : " has-error"}`}>
          <legend>发票类型</legend>
          <label class="check"><input type="radio" name="invoiceMedium" value="electronic" checked={(v.invoiceMedium ?? "electronic") === "electronic"} /> 电子发票（PDF，发送至邮箱，可在订单详情下载）</label>
          <label class="check"><input type="radio" name="invoiceMedium" value="paper" checked={v.invoiceMedium === "paper"} /> 纸质发票（邮寄）</label>
          {err("invoiceMedium")}
        </fieldset>
        <div class={`field${errors.invoiceAddressId === undefined ? "" : " has-error"}`} id="invoice-addresses">
          <p><strong>发票邮寄地址</strong>（纸质发票）</p>
          {p.addresses.length === 0 ? <p class="muted">地址簿中还没有地址，请在上方“添加新地址”中添加。</p> : p.addresses.map((a) => (
            <label class="check" style="display:block">
              <input type="radio" name="invoiceAddressId" value={a.id} checked={v.invoiceAddressId === a.id} />
              {" "}{a.recipient} {a.mobile} {a.region} {a.detail}
            </label>
          ))}
          {err("invoiceAddressId")}
        </div>
        <fieldset class="choice">
          <legend>发票抬头类型</legend>
          <label class="check"><input type="radio" name="invoiceKind" value="enterprise" checked={(v.invoiceKind ?? (p.application.applicant === "enterprise" ? "enterprise" : "personal")) === "enterprise"} /> 单位</label>
          <label class="check"><input type="radio" name="invoiceKind" value="personal" checked={(v.invoiceKind ?? (p.application.applicant === "enterprise" ? "enterprise" : "personal")) === "personal"} /> 个人</label>
          {err("invoiceKind")}
        </fieldset>
        <Field name="invoiceTitle" label="发票抬头" values={v} errors={errors} maxlength={100} />
        <Field name="taxpayerId" label="纳税人识别号（单位必填）" values={v} errors={errors} maxlength={20} placeholder="统一社会信用代码或税务登记号" />
        <Field name="invoiceEmail" label="接收电子发票的邮箱（纸质发票的寄出通知也发送至此）" type="email" values={v} errors={errors} maxlength={100} />
        <h3>费用明细</h3>
        <div class="grid-2">
          <div><p><strong>快递配送</strong></p><PriceTable price={p.prices.express} /></div>
          <div><p><strong>上门自提</strong></p><PriceTable price={p.prices.pickup} /></div>
        </div>
        <p class="hint">金额由系统按套餐与配送方式计算，以提交后的订单为准。</p>
        <button class="btn btn-primary btn-block" type="submit">提交订单</button>
      </form>
    </section>
  )
}
