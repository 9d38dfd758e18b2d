import { html } from "hono/html"
import type { Child } from "hono/jsx"

export type Errors = Readonly<Record<string, string>>
export type Values = Readonly<Record<string, string | undefined>>

export const CsrfInput = (p: { token: string }) => <input type="hidden" name="_csrf" value={p.token} />

/**
 * The message for the whole form (not tied to one field) and, when two or more
 * fields are in error, one summary linking to each field's message (app.js
 * moves the focus to the field).
 */
export const FormError = (p: { errors: Errors }) => {
  const fields = Object.entries(p.errors).filter(([k]) => k !== "_form")
  return (
    <>
      {p.errors._form === undefined ? null : <div class="alert alert-error" role="alert">{p.errors._form}</div>}
      {fields.length < 2 ? null : (
        <nav class="error-summary" aria-label="表单错误">
          <p>请修改以下 {fields.length} 处后再提交：</p>
          <ul>{fields.map(([k, m]) => <li><a href={`#f-${k}-error`}>{m}</a></li>)}</ul>
        </nav>
      )}
    </>
  )
}

/** Technical details (hashes, certificate names, a validator's own wording) folded behind 详情. */
export const TechDetails = (p: { children: Child; summary?: string | undefined }) => (
  <details class="tech"><summary>{p.summary ?? "详情"}</summary><div class="tech-body mono">{p.children}</div></details>
)

/** The common name (CN) of an X.500 name such as "CN=张三,O=Signet,C=CN"; the whole text when it has none. */
export const commonName = (dn: string): string => dn.match(/(?:^|[,/+]\s*)CN=((?:\\.|[^,+/])+)/)?.[1]?.replace(/\\(.)/g, "$1").trim() ?? dn

export const Notice = (p: { children: Child; kind?: "success" | "info" }) =>
  <div class={`alert alert-${p.kind ?? "success"}`} role="status">{p.children}</div>

/** A labelled input with its zh-CN error right under it (aria-linked). */
export const Field = (p: {
  name: string
  label: string
  type?: string | undefined
  values?: Values | undefined
  errors?: Errors | undefined
  placeholder?: string | undefined
  hint?: string | undefined
  autocomplete?: string | undefined
  inputmode?: "numeric" | "tel" | "email" | "text" | undefined
  maxlength?: number | undefined
  required?: boolean | undefined
  children?: Child | undefined
}) => {
  const error = p.errors?.[p.name]
  const id = `f-${p.name}`
  return (
    <div class={`field${error === undefined ? "" : " has-error"}`}>
      <label for={id}>{p.label}</label>
      <div class="field-row">
        <input
          id={id}
          name={p.name}
          type={p.type ?? "text"}
          value={p.type === "password" ? "" : (p.values?.[p.name] ?? "")}
          placeholder={p.placeholder}
          autocomplete={p.autocomplete}
          inputmode={p.inputmode}
          maxlength={p.maxlength}
          required={p.required}
          aria-invalid={error === undefined ? undefined : "true"}
          aria-describedby={error === undefined ? undefined : `${id}-error`}
        />
        {p.children}
      </div>
      {error === undefined
        ? (p.hint === undefined ? null : <p class="hint">{p.hint}</p>)
        : <p class="field-error" id={`${id}-error`}>{error}</p>}
    </div>
  )
}

/** A full HTML document: the doctype keeps browsers out of quirks mode. */
export const doc = (page: Child) => html`<!DOCTYPE html>${page}`

/**
 * A one-button POST form (delete, set default, remind...) carrying the CSRF
 * token; `confirm` asks first (static/app.js), `fields` adds hidden inputs.
 */
export const PostButton = (p: {
  action: string
  csrf: string
  label: string
  confirm?: string | undefined
  variant?: "link" | "danger" | "ghost" | undefined
  title?: string | undefined
  fields?: Readonly<Record<string, string>> | undefined
}) => (
  <form method="post" action={p.action} data-confirm={p.confirm}>
    <CsrfInput token={p.csrf} />
    {Object.entries(p.fields ?? {}).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
    <button class={p.variant === "ghost" ? "btn btn-ghost" : p.variant === "danger" ? "link danger" : "link"} type="submit" title={p.title}>{p.label}</button>
  </form>
)
