// 签名管理: a small canvas to draw a handwritten signature. Without JavaScript the
// page still works (upload a photo); with it, strokes drawn here are sent as a
// PNG data URL in the hidden `drawn` field, and the server decodes and checks
// it like any uploaded image.
(() => {
  const form = document.getElementById("signature-form")
  const pad = form && form.querySelector("[data-signature-pad]")
  if (!pad) return
  pad.hidden = false
  const canvas = pad.querySelector("canvas")
  const drawn = pad.querySelector("input[name=drawn]")
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
})()
