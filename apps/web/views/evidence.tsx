import { CHECK_NAMES } from "../../../core/evidence/report.ts"
import type { Check } from "../../../core/evidence/verifyBundle.ts"
import { CsrfInput, type Errors, FormError, TechDetails } from "../../platform/views/form.tsx"
import { beijingSeconds } from "../../../core/kernel/time.ts"

const STATUS = { pass: "通过", fail: "未通过", skip: "未检查" } as const

export const VerifyForm = (p: { csrf: string; errors: Errors }) => (
  <section class="card">
    <p class="muted">上传从 Signet 导出的证据包（JSON），可同时上传合同 PDF 以核对文件哈希。全部检查在服务器上独立完成，不读取签约数据库；也可用命令行 <code>signet evidence verify</code> 离线验证。</p>
    <FormError errors={p.errors} />
    <form method="post" action="/evidence/verify" enctype="multipart/form-data">
      <CsrfInput token={p.csrf} />
      <div class={`field${p.errors.bundle === undefined ? "" : " has-error"}`}>
        <label for="f-bundle">证据包（.json，不超过 5 MB）</label>
        <input id="f-bundle" name="bundle" type="file" accept="application/json,.json" required aria-describedby="e-bundle" />
        {p.errors.bundle === undefined ? null : <p class="field-error" id="e-bundle">{p.errors.bundle}</p>}
      </div>
      <div class={`field${p.errors.pdf === undefined ? "" : " has-error"}`}>
        <label for="f-pdf">合同文件（可选，PDF，不超过 50 MB）</label>
        <input id="f-pdf" name="pdf" type="file" accept="application/pdf,.pdf" aria-describedby="e-pdf" />
        {p.errors.pdf === undefined ? null : <p class="field-error" id="e-pdf">{p.errors.pdf}</p>}
      </div>
      <button class="btn btn-primary" type="submit">开始验证</button>
    </form>
  </section>
)

/** 出证报告核验: the code printed on an evidence report opens the checks of the bundle frozen with it. */
export const ReportCodeForm = (p: { code?: string | undefined; error?: string | undefined }) => (
  <section class="card">
    <h2 class="card-title">出证报告核验</h2>
    <form method="get" action="/evidence/verify">
      <div class={`field${p.error === undefined ? "" : " has-error"}`}>
        <label for="f-code">报告验证码（见出证报告右上角，如 ABCD-EFGH-JKMN-PQRS）</label>
        <input id="f-code" name="code" type="text" value={p.code ?? ""} autocomplete="off" maxlength={32} aria-describedby="e-code" />
        {p.error === undefined ? null : <p class="field-error" id="e-code">{p.error}</p>}
      </div>
      <button class="btn btn-secondary" type="submit">核验报告</button>
    </form>
  </section>
)

const beijing = beijingSeconds

/** The public result page of a report code: what the report covers and the checks run now. */
export const ReportResult = (p: { code: string; issuedAt: number; subject: string; acts: ReadonlyArray<{ at: number; name: string; index: number }>; checks: ReadonlyArray<Check> }) => (
  <div class="stack">
    <section class="card">
      <h2 class="card-title">出证报告 {p.code}</h2>
      <dl class="facts">
        <dt>签约编号</dt><dd class="mono">{p.subject.replace(/^contract:/, "")}</dd>
        <dt>出具时间</dt><dd>{beijing(p.issuedAt)}（北京时间）</dd>
        <dt>证据事件</dt><dd>{p.acts.length} 个</dd>
      </dl>
      <div class="table-wrap">
        <table class="table">
          <thead><tr><th>时间（北京时间）</th><th>事件</th><th>日志序号</th></tr></thead>
          <tbody>{p.acts.map((a) => <tr><td>{beijing(a.at)}</td><td>{a.name}</td><td class="mono">{a.index}</td></tr>)}</tbody>
        </table>
      </div>
    </section>
    <VerifyResult checks={p.checks} />
  </div>
)

/**
 * Why a check was not run, in zh-CN, for the page (the CLI prints the
 * verifier's own English words; here they sit behind 详情).
 */
const SKIPPED: Readonly<Record<string, string>> = {
  "log key": "未另行指定日志公钥：使用证据包自带的公钥核验。离线核验时可向平台索取公钥单独核对。",
  "inclusion proofs": "没有可用于核对的已签名检查点。",
  "history complete": "证据包未附带已签名的事件数声明（较早导出的证据包），无法确认无删减。",
  "commitments opened": "证据包不含个人信息原文（未提供或已删除），承诺值未核对。",
  "timestamp authority": "未指定受信任的时间戳机构根证书，未判断时间戳机构证书链。",
  "document hash": "未上传合同文件，未核对文件哈希。",
  "document SM3": "未上传合同文件，或事件只记录了 SHA-256，未核对 SM3 哈希。",
  "witness cosignatures": "检查点没有可核对的见证方联署。",
  "consistency with previous checkpoint": "未提供先前的检查点，未核对一致性。",
}
const explain = (c: Check) =>
  c.status === "pass" ? "检查通过" : c.status === "fail" ? "检查未通过：证据可能被篡改或不完整" : (SKIPPED[c.name] ?? "本项未检查")

export const VerifyResult = (p: { checks: ReadonlyArray<Check> }) => {
  const failed = p.checks.filter((c) => c.status === "fail").length
  return (
    <section class="card" id="evidence-result">
      <div class={`alert alert-${failed === 0 ? "success" : "error"}`} role="status">
        {failed === 0 ? "验证通过：证据完整，未发现篡改。" : `验证未通过：${failed} 项检查失败，证据不可信。`}
      </div>
      <div class="table-wrap">
        <table class="table">
          <thead><tr><th>检查项</th><th>结果</th><th>说明</th></tr></thead>
          <tbody>
            {p.checks.map((c) => (
              <tr data-check={c.name} data-status={c.status}>
                <td>{CHECK_NAMES[c.name] ?? c.name}</td>
                <td>{STATUS[c.status]}</td>
                <td class="muted">{explain(c)}{c.detail === "" ? null : <TechDetails>{c.detail}</TechDetails>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p><a href="/evidence/verify">验证另一个证据包</a></p>
    </section>
  )
}
