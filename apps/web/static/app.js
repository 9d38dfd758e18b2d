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
  document.addEventListener("DOMContentLoaded", scan)
  // htmx 4 fires its events on the element that made the request; look at the whole page.
  document.addEventListener("htmx:after:settle", scan)
  // Confirm destructive forms (data-confirm="...").
  document.addEventListener("submit", (e) => {
    const form = e.target
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) e.preventDefault()
  })
})()
