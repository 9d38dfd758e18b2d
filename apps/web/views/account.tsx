import type { Address, User } from "../../../core/accounts/User.ts"
import { CsrfInput, Field, FormError, Notice, PostButton, type Errors, type Values } from "../../platform/views/form.tsx"
import { zhDateTime } from "../../../core/kernel/time.ts"

const date = zhDateTime

/** A3 我的账户 -> 个人信息: what we hold, and the editable part. */
export const ProfileView = (p: { user: User; verified: boolean; csrf: string; values?: Values | undefined; errors?: Errors | undefined; saved?: boolean | undefined }) => {
  const errors = p.errors ?? {}
  const values = p.values ?? { name: p.user.name ?? "", email: p.user.email ?? "" }
  return (
    <div class="grid-2">
      <section class="card">
        <h2 class="card-title">个人信息</h2>
        <dl class="facts">
          <dt>账户（手机号）</dt><dd>{p.user.mobile}</dd>
          <dt>姓名</dt><dd>{p.user.name ?? <span class="muted">未填写</span>}</dd>
          <dt>邮箱</dt><dd>{p.user.email ?? <span class="muted">未填写</span>}</dd>
          <dt>实名认证</dt><dd>{p.verified ? <span class="badge badge-ok">已认证</span> : <><span class="badge badge-warn">未认证</span> <a href="/verification/personal">去认证</a></>}</dd>
          <dt>注册时间</dt><dd>{date(p.user.createdAt)}</dd>
        </dl>
      </section>
      <section class="card">
        <h2 class="card-title">修改资料</h2>
        <form method="post" action="/account/profile" class="form" novalidate>
          <CsrfInput token={p.csrf} />
          {p.saved === true ? <Notice>资料已保存</Notice> : null}
          <FormError errors={errors} />
          {p.verified
            ? <Field name="name" label="姓名" values={values} errors={errors} maxlength={40} hint="已完成实名认证，姓名为认证姓名，不可修改" readonly />
            : <Field name="name" label="姓名" placeholder="选填" values={values} errors={errors} maxlength={40} />}
          <Field name="email" label="邮箱" type="email" placeholder="选填，用于接收通知" values={values} errors={errors} />
          <button class="btn btn-primary" type="submit">保存</button>
        </form>
      </section>
    </div>
  )
}

export const PasswordView = (p: { csrf: string; errors?: Errors | undefined; done?: { otherSessions: number } | undefined }) => {
  const errors = p.errors ?? {}
  return (
    <section class="card narrow">
      <form method="post" action="/account/password" class="form" novalidate>
        <CsrfInput token={p.csrf} />
        {p.done === undefined ? null : (
          <Notice>密码已修改{p.done.otherSessions > 0 ? `，其他 ${p.done.otherSessions} 处登录已退出` : ""}。</Notice>
        )}
        <FormError errors={errors} />
        <Field name="oldPassword" label="原密码" type="password" autocomplete="current-password" errors={errors} />
        <Field name="newPassword" label="新密码" type="password" autocomplete="new-password" hint="6 - 16 位密码，必须包含数字、字母" errors={errors} />
        <Field name="confirmPassword" label="确认新密码" type="password" autocomplete="new-password" errors={errors} />
        <button class="btn btn-primary" type="submit">确认修改</button>
      </form>
    </section>
  )
}

export const AddressForm = (p: { csrf: string; action: string; submit: string; values?: Values | undefined; errors?: Errors | undefined }) => {
  const errors = p.errors ?? {}
  return (
    <form method="post" action={p.action} class="form" novalidate>
      <CsrfInput token={p.csrf} />
      <FormError errors={errors} />
      <div class="grid-2 tight">
        <Field name="recipient" label="收货人" values={p.values} errors={errors} maxlength={30} />
        <Field name="mobile" label="手机号" type="tel" inputmode="numeric" maxlength={11} values={p.values} errors={errors} />
      </div>
      <Field name="region" label="所在地区" placeholder="如：北京市 海淀区" values={p.values} errors={errors} maxlength={60} />
      <Field name="detail" label="详细地址" placeholder="街道、门牌号" values={p.values} errors={errors} maxlength={120} />
      <label class="check"><input type="checkbox" name="isDefault" value="on" checked={p.values?.isDefault === "on"} /> 设为默认地址</label>
      <button class="btn btn-primary" type="submit">{p.submit}</button>
    </form>
  )
}

/** A4 收货地址: the list (default first) and the add form. */
export const AddressBook = (p: { csrf: string; addresses: ReadonlyArray<Address>; values?: Values | undefined; errors?: Errors | undefined; notice?: string | undefined }) => (
  <div class="stack">
    {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
    <section class="card">
      <h2 class="card-title">已保存的地址 <span class="muted">（共 {p.addresses.length} 条）</span></h2>
      {p.addresses.length === 0 ? <p class="empty">还没有收货地址，请在下方新增。</p> : (
        <div class="table-wrap">
          <table class="table table-stack">
            <thead><tr><th>收货人</th><th>手机号</th><th>所在地区</th><th>详细地址</th><th>操作</th></tr></thead>
            <tbody>
              {p.addresses.map((a) => (
                <tr>
                  <td data-label="收货人"><span>{a.recipient} {a.isDefault ? <span class="badge">默认</span> : null}</span></td>
                  <td data-label="手机号">{a.mobile}</td>
                  <td data-label="所在地区">{a.region}</td>
                  <td data-label="详细地址">{a.detail}</td>
                  <td data-label="操作"><div class="row-actions">
                    <a href={`/account/addresses/${a.id}/edit`}>修改</a>
                    {a.isDefault ? null : (
                      <PostButton action={`/account/addresses/${a.id}/default`} csrf={p.csrf} label="设为默认" />
                    )}
                    <PostButton action={`/account/addresses/${a.id}/delete`} csrf={p.csrf} label="删除" variant="danger" confirm="确定删除该地址吗？" />
                  </div></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
    <section class="card">
      <h2 class="card-title">新增收货地址</h2>
      <AddressForm csrf={p.csrf} action="/account/addresses" submit="保存地址" values={p.values} errors={p.errors} />
    </section>
  </div>
)
