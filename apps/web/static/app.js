// Small behaviours on top of server-rendered pages (everything works without them).
(() => {
  // "获取验证码" cool-down: the server says how many seconds via data-cooldown.
  const startCooldown = (seconds) => {
    const button = document.getElementById("send-code")
    if (!button || !(seconds > 0)) return
    const label = button.dataset.label || button.textContent
    button.dataset.label = label
    button.disabled = true
    let left = seconds
    const tick = () => {
      if (left <= 0) {
        button.disabled = false
        button.textContent = "重新获取"
        return
      }
      button.textContent = `${left} 秒后重新获取`
      left -= 1
      setTimeout(tick, 1000)
    }
    tick()
  }
  const seen = new WeakSet()
  const scan = () => {
    for (const el of document.querySelectorAll("[data-cooldown]")) {
      if (seen.has(el)) continue
      seen.add(el)
      startCooldown(Number(el.dataset.cooldown))
    }
  }
  // File inputs: the browser's own button speaks the browser's language ("Choose File"); a zh-CN
  // button stands in for it and the choice is shown under it (a thumbnail for an image, else the
  // name and size). The input itself stays in the form, labelled, and still takes the file.
  const sizeText = (n) => n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`
  const enhanceFile = (input) => {
    if (input.dataset.enhanced) return
    input.dataset.enhanced = "1"
    const label = input.id ? document.querySelector(`label[for="${input.id}"]`) : null
    const button = document.createElement("button")
    button.type = "button"
    button.className = "btn btn-secondary file-button"
    button.textContent = input.multiple ? "选择文件（可多选）" : "选择文件"
    if (label) button.setAttribute("aria-label", `${label.textContent.trim()}：选择文件`)
    const chosen = document.createElement("span")
    chosen.className = "file-chosen"
    chosen.setAttribute("aria-live", "polite")
    chosen.textContent = "未选择文件"
    const wrap = document.createElement("span")
    wrap.className = "file-pick"
    input.after(wrap)
    wrap.append(input, button, chosen)
    input.classList.add("file-native")
    input.tabIndex = -1
    button.addEventListener("click", () => input.click())
    const ownPreview = input.id && document.querySelector(`[data-preview-for="${input.id}"]`)
    input.addEventListener("change", () => {
      const files = [...(input.files || [])]
      chosen.replaceChildren()
      if (files.length === 0) { chosen.textContent = "未选择文件"; return }
      for (const f of files) {
        const item = document.createElement("span")
        item.className = "file-item"
        if (!ownPreview && /^image\/(png|jpeg|gif|webp)$/.test(f.type)) {
          const img = document.createElement("img")
          img.alt = `所选图片：${f.name}`
          img.src = URL.createObjectURL(f)
          item.append(img)
        }
        item.append(`${f.name}（${sizeText(f.size)}）`)
        chosen.append(item)
      }
    })
  }
  const enhanceFiles = () => { for (const el of document.querySelectorAll("input[type=file]")) enhanceFile(el) }
  // The error summary's links lead to the message; the input it belongs to takes the focus.
  document.addEventListener("click", (e) => {
    const link = e.target instanceof Element ? e.target.closest(".error-summary a[href^='#f-']") : null
    if (!link) return
    const input = document.getElementById(link.getAttribute("href").slice(1).replace(/-error$/, ""))
    if (input && typeof input.focus === "function") setTimeout(() => input.focus(), 0)
  })
  document.addEventListener("DOMContentLoaded", enhanceFiles)
  document.addEventListener("htmx:after:settle", enhanceFiles)
  document.addEventListener("DOMContentLoaded", scan)
  // htmx 4 fires its events on the element that made the request; look at the whole page.
  document.addEventListener("htmx:after:settle", scan)
  // Confirm destructive forms (data-confirm="...").
  document.addEventListener("submit", (e) => {
    const form = e.target
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) e.preventDefault()
  })
})()
