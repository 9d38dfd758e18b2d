import type { FC } from "hono/jsx"

type Json = Record<string, any>

const METHOD_COLOURS: Record<string, string> = { get: "#1f6feb", post: "#1a7f37" }

/** A property list of a JSON schema (one level; components by name). */
const Props: FC<{ schema: Json | undefined; components: Json }> = ({ schema, components }) => {
  const resolved: Json | undefined = typeof schema?.$ref === "string" ? components[schema.$ref.split("/").pop()!] : schema
  const props = Object.entries((resolved?.properties ?? {}) as Json)
  if (props.length === 0) return null
  const required = new Set<string>(resolved?.required ?? [])
  return (
    <table>
      <tbody>
        {props.map(([name, p]) => (
          <tr>
            <td><code>{name}</code>{required.has(name) ? " *" : ""}</td>
            <td><code>{typeof p.$ref === "string" ? p.$ref.split("/").pop() : p.type === "array" ? `array of ${p.items?.$ref?.split("/").pop() ?? p.items?.type ?? "…"}` : (p.type ?? (p.enum ? "enum" : "…"))}</code>
              {p.enum ? ` (${p.enum.join(" | ")})` : ""}</td>
            <td>{p.description ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** /api/v1/docs: the operations of the OpenAPI document, server-rendered (no script, no CDN). */
export const DocsPage: FC<{ doc: Json }> = ({ doc }) => {
  const components = (doc.components?.schemas ?? {}) as Json
  const ops = Object.entries(doc.paths as Json).flatMap(([path, methods]) => Object.entries(methods as Json).map(([method, op]) => ({ path, method, op: op as Json })))
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{doc.info.title} · API 文档</title>
        <style>{`body{font:15px/1.55 system-ui,sans-serif;max-width:980px;margin:0 auto;padding:16px;color:#1f2328}
          pre{white-space:pre-wrap;background:#f6f8fa;padding:10px;border-radius:6px}
          section{border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;margin:14px 0}
          .m{display:inline-block;min-width:3.5em;color:#fff;border-radius:4px;padding:0 6px;text-transform:uppercase;font-weight:600;text-align:center}
          table{border-collapse:collapse;width:100%;font-size:14px}td{border-top:1px solid #eaeef2;padding:4px 6px;vertical-align:top}`}</style>
      </head>
      <body>
        <h1>{doc.info.title} <small>v{doc.info.version}</small></h1>
        <p>机器可读文档：<a href="openapi.json">openapi.json</a>（OpenAPI {doc.openapi}）。服务地址：<code>{doc.servers?.[0]?.url}</code></p>
        <pre>{doc.info.description}</pre>
        <h2>接口</h2>
        {ops.map(({ path, method, op }) => (
          <section id={op.operationId}>
            <h3><span class="m" style={`background:${METHOD_COLOURS[method] ?? "#555"}`}>{method}</span> <code>{path}</code></h3>
            <p><strong>{op.summary}</strong>{op.description ? ` — ${op.description}` : ""}</p>
            {op.parameters?.length > 0
              ? <table><tbody>{op.parameters.map((p: Json) => <tr><td><code>{p.name}</code>{p.required ? " *" : ""}</td><td>{p.in}</td><td>{p.description ?? ""}</td></tr>)}</tbody></table>
              : null}
            {op.requestBody
              ? Object.entries(op.requestBody.content as Json).map(([media, c]) => (
                <div><p>请求体 <code>{media}</code></p><Props schema={media === "multipart/form-data" ? c.schema.properties.contract : c.schema} components={components} /></div>
              ))
              : null}
            <p>响应：{Object.keys(op.responses).map((s) => <code>{s} </code>)}</p>
          </section>
        ))}
        <h2>Webhooks</h2>
        <ul>{Object.entries(doc.webhooks ?? {}).map(([name, w]) => <li><code>{name}</code> — {(w as Json).post.summary}</li>)}</ul>
        <h2>错误</h2>
        <p>所有错误均为 RFC 9457 <code>application/problem+json</code>，<code>code</code> 字段稳定可判断。</p>
        <Props schema={components.Problem} components={components} />
      </body>
    </html>
  )
}
