import type { Check } from "../../../core/evidence/verifyBundle.ts"
import { CsrfInput, type Errors, FormError } from "../../platform/views/form.tsx"

/** zh-CN names of the verifier's checks (the detail line stays technical: hashes, sizes, times). */
export const CHECK_NAMES: Readonly<Record<string, string>> = {
  "bundle format": "证据包格式",
  "log key": "日志公钥",
  "checkpoint signature": "检查点签名",
  "checkpoint format": "检查点格式",
  "event encodings": "事件编码",
  "subject": "事件主体",
  "chain continuity": "哈希链连续性",
  "legal order of events": "事件顺序",
  "inclusion proofs": "默克尔包含证明",
  "history complete": "事件链完整（无删减）",
  "commitments opened": "个人信息承诺核对",
  "timestamp token": "可信时间戳",
  "timestamp authority": "时间戳机构证书",
  "document hash": "合同文件哈希（SHA-256）",
  "document SM3": "合同文件哈希（SM3 国密）",
  "witness cosignatures": "见证方联署",
  "consistency with previous checkpoint": "与先前检查点的一致性",
}

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
                <td class="muted" style="overflow-wrap:anywhere;word-break:break-all">{c.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p><a href="/evidence/verify">验证另一个证据包</a></p>
    </section>
  )
}
