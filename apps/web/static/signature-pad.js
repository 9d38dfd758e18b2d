// A small canvas to draw a handwritten signature (签名管理, 我的签名, the sign page). Pointer events, so a finger,
// a pen and a mouse all draw; the canvas has touch-action: none so the page does not scroll under the finger.
// Without JavaScript the pads stay hidden (upload a photo, or sign with the saved signature); with it, strokes
// are sent as a PNG data URL in the pad's hidden `drawn` field, and the server decodes and checks it like any
// uploaded image.
// Pads swapped in later by htmx (the sign page's code step) are set up when they appear.
(() => {
  // Loaded once per page even when a swapped-in fragment carries the script tag again.
  if (window.signetSignaturePad) return
  window.signetSignaturePad = true
  const setUp = (pad) => {
    if (pad.dataset.ready === "1") return
    pad.dataset.ready = "1"
    const form = pad.closest("form")
    const canvas = pad.querySelector("canvas")
    const drawn = pad.querySelector("input[name=drawn]")
    if (!form || !canvas || !drawn) return
    pad.hidden = false
    const ctx = canvas.getContext("2d")
    let strokes = 0
    let last = null
    const reset = () => {
      ctx.fillStyle = "#fff"
      ctx.fillRect(0, 0, canvas.width, canvas.height)
      strokes = 0
    }
    reset()
    ctx.lineCap = "round"
    ctx.lineJoin = "round"
    ctx.strokeStyle = "#111"
    ctx.lineWidth = 5
    const at = (e) => {
      const r = canvas.getBoundingClientRect()
      return { x: ((e.clientX - r.left) * canvas.width) / r.width, y: ((e.clientY - r.top) * canvas.height) / r.height }
    }
    canvas.addEventListener("pointerdown", (e) => {
      e.preventDefault()
      canvas.setPointerCapture(e.pointerId)
      last = at(e)
      ctx.beginPath()
      ctx.arc(last.x, last.y, ctx.lineWidth / 2, 0, Math.PI * 2)
      ctx.fillStyle = "#111"
      ctx.fill()
      strokes++
    })
    canvas.addEventListener("pointermove", (e) => {
      if (last === null) return
      const p = at(e)
      ctx.beginPath()
      ctx.moveTo(last.x, last.y)
      ctx.lineTo(p.x, p.y)
      ctx.stroke()
      last = p
    })
    const end = () => { last = null }
    canvas.addEventListener("pointerup", end)
    canvas.addEventListener("pointercancel", end)
    pad.querySelector("[data-signature-clear]").addEventListener("click", reset)
    form.addEventListener("submit", () => {
      drawn.value = strokes > 0 ? canvas.toDataURL("image/png") : ""
    })
  }
  const scan = () => document.querySelectorAll("[data-signature-pad]").forEach(setUp)
  scan()
  new MutationObserver(scan).observe(document.body, { childList: true, subtree: true })
})()
