import { Hono } from "hono"
import { listAddresses } from "../../../core/accounts/addressBook.ts"
import { userProgress } from "../../../core/accounts/progress.ts"
import { renderPage, type WebDeps, type WebEnv } from "../context.tsx"
import { currentUser, requireUser } from "./account.tsx"

/** 个人工作台: where a logged-in user lands. Signing tiles light up as those capabilities ship. */
export const homeRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  app.get("/", requireUser, async (c) => {
    const user = currentUser(c)
    const addresses = await deps.run(listAddresses(user.id))
    const progress = await deps.run(userProgress(user))
    const step = (done: boolean, n: number, label: string, note?: string) => (
      <div class={`step${done ? " done" : ""}`}><span>{done ? "✓" : n}</span>{label}{note === undefined ? null : <small class="muted">（{note}）</small>}</div>
    )
    const enterpriseNote = { done: undefined, "in-review": "审核中", rejected: "未通过，可修改后重新提交", none: "可选" }[progress.enterprise]
    return renderPage(c, deps, "个人工作台", (
      <div class="stack">
        <section class="card hero">
          <h2>您好，{user.name ?? "新用户"}</h2>
          <p class="muted">完成个人实名认证后即可在线签署合同；企业管理员完成企业认证后可管理印章与成员。</p>
          <div class="steps">
            {step(true, 1, "注册账户")}
            {step(progress.verified, 2, "个人实名认证")}
            {step(progress.enterprise === "done", 3, "企业认证", enterpriseNote)}
            {step(progress.signed, 4, "发起签约")}
          </div>
        </section>
        <div class="tiles">
          <a class="tile" href="/account"><strong>我的账户</strong><span>查看、修改个人信息</span></a>
          <a class="tile" href="/account/password"><strong>修改密码</strong><span>需要输入原密码</span></a>
          <a class="tile" href="/account/addresses"><strong>收货地址</strong><span>已保存 {addresses.length} 条</span></a>
          <a class="tile" href="/contracts/new"><strong>发起签约</strong><span>上传 PDF，邀请各方在线签署</span></a>
          <a class="tile" href="/contracts"><strong>我的签约</strong><span>查看待我签署和已完成的合同</span></a>
        </div>
      </div>
    ))
  })
  return app
}
