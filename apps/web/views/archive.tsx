import type { ArchiveItem, Folder, LocalUpload } from "../../../core/archive/Archive.ts"
import { commonName, CsrfInput, Field, Notice, PostButton, TechDetails, type Errors } from "../../platform/views/form.tsx"
import { zhDateTime } from "../../../core/kernel/time.ts"

const date = zhDateTime
const size = (n: number | null) => (n === null ? "—" : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`)

/** M1-M3 我的合同: folders with counts, the list, upload of a locally signed contract. */
export const ArchivePage = (p: {
  csrf: string
  items: ReadonlyArray<ArchiveItem>
  folders: ReadonlyArray<Folder>
  current: string
  notice?: string | undefined
  errors?: Errors | undefined
}) => {
  const count = (folder: string) => (folder === "all" ? p.items.length : p.items.filter((i) => (i.folderId ?? "none") === folder).length)
  const shown = p.current === "all" ? p.items : p.items.filter((i) => (i.folderId ?? "none") === p.current)
  const errors = p.errors ?? {}
  return (
    <div class="archive">
      <aside class="card folders">
        <h2 class="card-title">文件夹</h2>
        <a class={`folder${p.current === "all" ? " active" : ""}`} href="/archive">全部({count("all")})</a>
        <a class={`folder${p.current === "none" ? " active" : ""}`} href="/archive?folder=none">未分类({count("none")})</a>
        {p.folders.map((f) => (
          <div class="folder-row">
            <a class={`folder${p.current === f.id ? " active" : ""}`} href={`/archive?folder=${f.id}`}>{f.name}({count(f.id)})</a>
            <PostButton action={`/archive/folders/${f.id}/delete`} csrf={p.csrf} label="删除" variant="danger" title="删除（仅空文件夹）" confirm={`删除文件夹“${f.name}”？`} />
          </div>
        ))}
        <form method="post" action="/archive/folders" class="form compact" novalidate>
          <CsrfInput token={p.csrf} />
          <Field name="folderName" label="新建文件夹" errors={errors} maxlength={30} />
          <button class="btn btn-secondary" type="submit">新建</button>
        </form>
      </aside>
      <div class="stack">
        {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
        {errors._form === undefined ? null : <div class="alert alert-error" role="alert">{errors._form}</div>}
        <section class="card">
          <h2 class="card-title">合同列表 <span class="muted">（共 {shown.length} 条）</span></h2>
          {shown.length === 0 ? <p class="empty">暂无合同</p> : (
            <div class="table-wrap">
              <table class="table table-stack">
                <thead><tr><th>合同名称</th><th>创建人</th><th>创建时间</th><th>大小</th><th>来源</th><th>操作</th></tr></thead>
                <tbody>
                  {shown.map((i) => {
                    const [kind, id] = i.key.split(":")
                    const view = kind === "c" ? `/contracts/${id}` : `/archive/uploads/${id}`
                    const download = kind === "c" ? `/contracts/${id}/document` : `/archive/uploads/${id}/document`
                    return (
                      <tr>
                        <td data-label="合同名称"><a href={view}>{i.name}</a></td>
                        <td data-label="创建人">{i.creator}</td>
                        <td data-label="创建时间">{date(i.createdAt)}</td>
                        <td data-label="大小">{size(i.size)}</td>
                        <td data-label="来源">{i.kind === "platform" ? "平台签署" : "本地上传"}</td>
                        <td data-label="操作"><div class="row-actions">
                          <a href={download}>下载</a>
                          <a href={view}>查看</a>
                          <form method="post" action="/archive/move" class="inline">
                            <CsrfInput token={p.csrf} />
                            <input type="hidden" name="item" value={i.key} />
                            <select name="folder" aria-label="移动到">
                              <option value="none" selected={i.folderId === null}>未分类</option>
                              {p.folders.map((f) => <option value={f.id} selected={i.folderId === f.id}>{f.name}</option>)}
                            </select>
                            <button class="link" type="submit">移动</button>
                          </form>
                          {i.deletable ? (
                            <PostButton action="/archive/delete" csrf={p.csrf} label="删除" variant="danger" confirm="删除这份本地上传的合同？" fields={{ item: i.key }} />
                          ) : null}
                        </div></td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section class="card">
          <h2 class="card-title">上传本地合同</h2>
          <form method="post" action="/archive/uploads" enctype="multipart/form-data" class="form" novalidate>
            <CsrfInput token={p.csrf} />
            <div class={`field${errors.document === undefined ? "" : " has-error"}`}>
              <label for="f-document">已签署的 PDF（不超过 50 MB）</label>
              <input id="f-document" name="document" type="file" accept="application/pdf,.pdf" />
              {errors.document === undefined ? <p class="hint">上传后将检验文件中的每个数字签名，并显示检验结果。</p> : <p class="field-error" id="f-document-error">{errors.document}</p>}
            </div>
            <button class="btn btn-primary" type="submit">上传并检验</button>
          </form>
        </section>
      </div>
    </div>
  )
}

/** M3: the verification report of an uploaded contract. */
const verdictLabels: Record<LocalUpload["verdict"], string> = {
  unchanged: "有效 / 签署后未被修改",
  signaturesAdded: "有效 / 之后仅追加签名",
  modified: "签名有效但文档在签署后被修改",
  invalid: "无效",
  unsigned: "无法验证（文件中没有签名）",
  unconfirmed: "签名完好，但无法确认其有效性（吊销状态未知或时间戳已过期）",
}

/** The checks of a signature (core/signing/verify/verifyPdf.ts), named in zh-CN; the validator's own words go behind 详情. */
const CHECK_ZH: Readonly<Record<string, string>> = {
  byteRange: "签名覆盖范围不正确", digest: "签名后文件内容被修改（摘要不符）", signature: "签名值校验失败", chain: "签名证书不受信任或证书链无效",
  keyUsage: "签名证书不允许用于签名", timestamp: "时间戳无效", certification: "文档认证签名不允许此后的修改", changesAfter: "签署后文档有不允许的修改",
}
const problemLabel = (problem: string) => CHECK_ZH[problem.split(":", 1)[0] ?? ""] ?? "校验未通过"

export const UploadReport = (p: { upload: LocalUpload }) => (
  <section class="card">
    <h2 class="card-title">{p.upload.name} <span class={p.upload.allValid ? "badge badge-ok" : "badge"}>{verdictLabels[p.upload.verdict]}</span></h2>
    <p class="muted mono">SHA-256 {p.upload.sha256} · {size(p.upload.size)} · 上传于 {date(p.upload.createdAt)}</p>
    {p.upload.changes.length === 0 ? null : (
      <div class="alert alert-error">
        <p>签署后的修改：</p>
        <ul>{p.upload.changes.map((x) => <li>{x}</li>)}</ul>
      </div>
    )}
    {p.upload.signatures.length === 0 ? <p class="empty">文件中没有数字签名</p> : (
      <ol class="history">
        {p.upload.signatures.map((s) => (
          <li>
            <strong>{commonName(s.signer)}</strong>（签名域 {s.field}）：{s.valid ? <span class="code-ok">有效</span> : <span class="field-error">无效</span>}
            {s.problems.length === 0 ? null : <ul>{s.problems.map((x) => <li class="muted">{problemLabel(x)}</li>)}</ul>}
            <TechDetails>{[`签名者证书主体：${s.signer}`, ...s.problems].join("\n")}</TechDetails>
          </li>
        ))}
      </ol>
    )}
    <p><a class="btn btn-secondary" href={`/archive/uploads/${p.upload.id}/document`}>下载</a> <a href="/archive">返回我的合同</a></p>
  </section>
)
