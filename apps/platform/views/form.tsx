import { html } from "hono/html"
import type { Child } from "hono/jsx"

export type Errors = Readonly<Record<string, string>>
export type Values = Readonly<Record<string, string | undefined>>

export const CsrfInput = (p: { token: string }) => <input type="hidden" name="_csrf" value={p.token} />

/** The message for the whole form (not tied to one field). */
export const FormError = (p: { errors: Errors }) =>
  p.errors._form === undefined ? null : <div class="alert alert-error" role="alert">{p.errors._form}</div>

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
  /** Shown and sent, not editable (a verified name). */
  readonly?: boolean | undefined
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
          readonly={p.readonly}
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
