import type { Effect } from "effect"
import type { exploreEvidence } from "../../../core/evidence/explore.ts"
import { ACT_NAMES } from "../../../core/evidence/report.ts"
import { beijingSeconds } from "../../../core/kernel/time.ts"
import { TechDetails } from "../../platform/views/form.tsx"

type Explored = Effect.Success<ReturnType<typeof exploreEvidence>>

const time = beijingSeconds
const yes = (ok: boolean | null, pending: string) => (ok === null ? pending : ok ? "通过" : "未通过")
const wrap = "overflow-wrap:anywhere;word-break:break-all"

export const ExplorerForm = (p: { q: string; error?: string | undefined }) => (
  <section class="card">
    <form method="get" action="/evidence">
      <div class={`field${p.error === undefined ? "" : " has-error"}`}>
        <label for="f-q">签约编号或订单号（19 位，直接输入）、日志序号（如 #1024）或主体（如 user:1234…）</label>
        <input id="f-q" name="q" type="text" value={p.q} autocomplete="off" maxlength={80} aria-describedby="e-q f-q-hint" />
        <p class="hint" id="f-q-hint">可直接输入订单号，无需加 order: 前缀；签约编号与订单号均为 19 位数字。</p>
        {p.error === undefined ? null : <p class="field-error" id="e-q">{p.error}</p>}
      </div>
      <button class="btn btn-primary" type="submit">查询</button>
    </form>
  </section>
)

/**
 * X3: a subject's chain as a timeline: per event its time, act, role and the
 * two checks (哈希链, 包含证明) at a glance; its commitments, hashes, data and
 * proof folded under 哈希与证明 (commitments only, never openings). The
 * checkpoint's signed note is folded the same way.
 */
export const ExplorerResult = (p: { data: Explored }) => {
  const { subject, focus, events, checkpoint } = p.data
  const broken = events.filter((e) => !e.linked).length
  const notIncluded = events.filter((e) => e.included === false).length
  return (
    <div class="stack">
      <section class="card">
        <h2 class="card-title">证据链 {subject}</h2>
        <p class="muted">个人信息（操作人、IP 地址、浏览器）只以加盐承诺值（HMAC-SHA-256）显示：审核员角色无权查看原文，原文只随本人或签约方下载的证据包提供。</p>
        <p class={`alert ${broken + notIncluded === 0 ? "alert-success" : "alert-error"}`} role="status">
          共 {events.length} 个事件 · 哈希链{broken === 0 ? "连续" : `断裂 ${broken} 处`} · {notIncluded === 0 ? "包含证明全部通过或待上链" : `${notIncluded} 个事件包含证明未通过`}
        </p>
        {checkpoint === null ? <p class="alert alert-error">尚无检查点：事件排队等待上链。</p> : (
          <dl class="facts" id="checkpoint">
            <dt>最新检查点</dt><dd>树大小 {checkpoint.size} · 签名 {checkpoint.signatureValid ? "有效" : "无效"} · 时间戳 {checkpoint.timestamp === null ? "无" : "有"}</dd>
            <dt>签名检查点</dt><dd><TechDetails summary="查看检查点原文">{checkpoint.note}</TechDetails></dd>
          </dl>
        )}
      </section>
      <ol class="timeline">
        {events.map((e) => (
          <li class={`timeline-item${e.linked && e.included !== false ? "" : " is-bad"}`} id={e.index === null ? `event-${e.id}` : `leaf-${e.index}`} data-focus={e.index !== null && e.index === focus ? "true" : undefined}>
            <div class="timeline-head">
              <strong>#{e.seq} {ACT_NAMES[e.type] ?? e.type}</strong>
              {e.index !== null && e.index === focus ? <span class="badge">查询的日志序号</span> : null}
              <span class="muted">{e.body === undefined ? "—" : `${time(e.body.at)}（北京时间）`} · {e.body?.role ?? "—"} · 日志序号 <span class="mono">{e.index ?? "排队中"}</span></span>
            </div>
            <p class="timeline-checks">
              <span class={`badge ${e.linked ? "badge-ok" : ""}`}>哈希链 <span data-check="linked">{e.linked ? "连续" : "断裂"}</span></span>
              <span class={`badge ${e.included === true ? "badge-ok" : e.included === null ? "badge-muted" : ""}`}>包含证明 <span data-check="included">{yes(e.included, "尚未进入检查点")}</span></span>
            </p>
            <details class="tech">
              <summary>哈希与证明</summary>
              <dl class="facts tech-body">
                <dt>事件类型</dt><dd class="mono">{e.type}</dd>
                <dt>承诺值</dt><dd class="mono" style={wrap}>{e.body === undefined ? "—" : Object.entries(e.body.commit).map(([k, v]) => `${k}=${v}`).join(" ") || "无"}</dd>
                {e.body?.doc === undefined ? null : <><dt>文件</dt><dd class="mono" style={wrap}>SHA-256 {e.body.doc.sha256}{e.body.doc.sm3 === undefined ? "" : ` · SM3 ${e.body.doc.sm3}`}</dd></>}
                <dt>数据</dt><dd class="mono" style={wrap}>{JSON.stringify(e.body?.data ?? {})}</dd>
                <dt>事件哈希</dt><dd class="mono" style={wrap}>{e.hash}</dd>
                {e.proof === null ? null : <><dt>证明路径</dt><dd class="mono" style={wrap}>{e.proof.length === 0 ? "（单叶树）" : e.proof.join(" ")}</dd></>}
              </dl>
            </details>
          </li>
        ))}
      </ol>
    </div>
  )
}
