// Boxes on a PDF's pages, shared by 发起签约 (fields.js: signing boxes per party) and the template editor
// (template-fields.js: fill-in fields and signing boxes per role). The pages are drawn by pdf.js (served from
// /static, no CDN) to canvas at the width they are shown at; a box is a rectangle in PDF points (origin
// bottom-left, as the server's schemas expect) shown over its page in CSS pixels, moved or resized with
// pointer events, so a finger drags it as a mouse does (the boxes have touch-action: none).
import { drawPage, openPdf } from "/static/pdf-pages.js"

export const MAX_WIDTH = 720

/** A new signing box's size in PDF points, by kind. */
export const BOX_SIZES = { signature: [150, 60], seal: [120, 120], date: [120, 30] }

/**
 * The width to draw pages at inside `root`: the pages' box is hidden while empty (0 wide), so the root's
 * content box is measured instead; on a phone the pages are then drawn at the width they are shown at
 * (else the boxes' pixels and points disagree).
 */
export const drawWidth = (root, pagesEl) => {
  const style = getComputedStyle(root)
  const inner = root.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16
  return Math.min(MAX_WIDTH, pagesEl.clientWidth || inner || MAX_WIDTH)
}

/**
 * Draws every page of `source` (a pdf.js source: { url } or { data }) into `pagesEl`, each in a
 * `.placement-page` wrapper with its caption. Returns the pages: number, pdf.js viewport, wrapper.
 */
export const renderPages = async (source, pagesEl, width) => {
  pagesEl.replaceChildren()
  const doc = await openPdf(source)
  const pages = []
  for (let n = 1; n <= doc.numPages; n++) {
    const { canvas, viewport, drawn } = drawPage(await doc.getPage(n), width)
    const wrap = document.createElement("div")
    wrap.className = "placement-page"
    wrap.dataset.page = String(n)
    wrap.style.width = `${viewport.width}px`
    wrap.style.height = `${viewport.height}px`
    canvas.setAttribute("role", "img")
    canvas.setAttribute("aria-label", `第 ${n} 页`)
    const caption = document.createElement("p")
    caption.className = "placement-caption"
    caption.textContent = `第 ${n} / ${doc.numPages} 页`
    wrap.append(canvas)
    pagesEl.append(caption, wrap)
    await drawn
    pages.push({ page: n, viewport, el: wrap })
  }
  return pages
}

/** Shows `rect` (PDF points) over its page's wrapper (pdf.js handles rotation and the crop box origin). */
export const placeBox = (el, page, rect) => {
  const [x1, y1, x2, y2] = page.viewport.convertToViewportRectangle([rect.x, rect.y, rect.x + rect.width, rect.y + rect.height])
  Object.assign(el.style, {
    left: `${Math.min(x1, x2)}px`, top: `${Math.min(y1, y2)}px`, width: `${Math.abs(x2 - x1)}px`, height: `${Math.abs(y2 - y1)}px`,
  })
  if (el.parentElement !== page.el) page.el.append(el)
}

/** CSS pixels on `page` (from its top-left) back to a rectangle in PDF points. */
export const toPoints = (page, left, top, width, height) => {
  const [ax, ay] = page.viewport.convertToPdfPoint(left, top)
  const [bx, by] = page.viewport.convertToPdfPoint(left + width, top + height)
  return { x: Math.min(ax, bx), y: Math.min(ay, by), width: Math.abs(bx - ax), height: Math.abs(by - ay) }
}

/** Where `el` sits on its page in CSS pixels, as placed (its style, not offsetLeft: whole pixels would shift a box that was only moved). */
const pixels = (el) => ({
  left: parseFloat(el.style.left) || 0, top: parseFloat(el.style.top) || 0,
  width: parseFloat(el.style.width) || el.offsetWidth, height: parseFloat(el.style.height) || el.offsetHeight,
})

/** The rectangle `el` covers now, in PDF points. */
export const boxPoints = (el, page) => {
  const p = pixels(el)
  return toPoints(page, p.left, p.top, p.width, p.height)
}

/** Two decimals: what the inputs and the server keep. */
export const round = (n) => Math.round(n * 100) / 100

const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v))

/**
 * A box element: its label, a × that calls `onRemove`, and a corner handle. Dragging it moves it (from the
 * handle: resizes it), kept inside its page; `onMoved` runs once the pointer is released.
 */
export const makeBoxElement = (className, removeLabel, onRemove, onMoved) => {
  const el = document.createElement("div")
  el.className = `placement-box ${className}`
  el.tabIndex = 0
  el.innerHTML = '<span class="box-label"></span><button type="button" class="box-remove"></button><span class="box-resize" aria-hidden="true"></span>'
  const remove = el.querySelector(".box-remove")
  remove.setAttribute("aria-label", removeLabel)
  remove.textContent = "×"
  remove.addEventListener("click", onRemove)
  el.addEventListener("pointerdown", (e) => {
    if (e.target.closest(".box-remove")) return
    e.preventDefault()
    const resizing = e.target.classList.contains("box-resize")
    const page = el.parentElement
    const start = { x: e.clientX, y: e.clientY, ...pixels(el) }
    el.setPointerCapture(e.pointerId)
    el.classList.add("dragging")
    const move = (ev) => {
      const dx = ev.clientX - start.x
      const dy = ev.clientY - start.y
      if (resizing) {
        el.style.width = `${clamp(start.width + dx, 12, page.clientWidth - start.left)}px`
        el.style.height = `${clamp(start.height + dy, 10, page.clientHeight - start.top)}px`
      } else {
        el.style.left = `${clamp(start.left + dx, 0, page.clientWidth - start.width)}px`
        el.style.top = `${clamp(start.top + dy, 0, page.clientHeight - start.height)}px`
      }
    }
    const end = () => {
      el.removeEventListener("pointermove", move)
      el.classList.remove("dragging")
      onMoved()
    }
    el.addEventListener("pointermove", move)
    el.addEventListener("pointerup", end, { once: true })
    el.addEventListener("pointercancel", end, { once: true })
  })
  return el
}
