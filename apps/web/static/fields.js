// 签署位置 (C1): renders the contract's pages with pdf.js (served from /static, no CDN) and lets the
// initiator add a box per party and kind, drag it, resize it. The boxes are written into the hidden
// input `fields` as the server's SignField schema expects: page (1-based) and x, y, width, height in
// PDF points, origin bottom-left. Without this script the form still works (default placement).
import * as pdfjs from "/static/pdf.min.mjs"

pdfjs.GlobalWorkerOptions.workerSrc = "/static/pdf.worker.min.mjs"

const KINDS = { signature: "签名", seal: "印章", date: "日期" }
const SIZES = { signature: [150, 60], seal: [120, 120], date: [120, 30] }
const MAX_WIDTH = 720

const root = document.getElementById("placement")
if (root) start(root)

function start(root) {
  const form = root.closest("form")
  const input = root.querySelector("input[name=fields]")
  const pagesEl = root.querySelector(".placement-pages")
  const tools = root.querySelector(".placement-tools")
  const partySelect = tools.querySelector(".pick-party")
  const kindSelect = tools.querySelector(".pick-kind")
  const pageSelect = tools.querySelector(".pick-page")
  const addButton = tools.querySelector(".placement-add")
  const status = root.querySelector(".placement-status")
  /** @type {Array<{ page: number, viewport: any, el: HTMLElement }>} */
  let pages = []
  /** Boxes in PDF points; `slot` names the party row they belong to ("me", "row0".."row3"). */
  let boxes = []

  // The parties as the form stands now, in the order the server numbers them.
  const parties = () => {
    const out = []
    for (const el of form.querySelectorAll("[data-party-slot]")) {
      const slot = el.dataset.partySlot
      // "me" (我也签署) and "org" (本企业签署) are checkboxes; the rows hold a name or an enterprise.
      if (slot === "me" || slot === "org") {
        if (el.checked) out.push({ slot, label: el.dataset.partyName || "我" })
        continue
      }
      const name = el.querySelector("input[name^=partyName]")?.value.trim() ?? ""
      const mobile = el.querySelector("input[name^=partyMobile]")?.value.trim() ?? ""
      if (name !== "" || mobile !== "") out.push({ slot, label: name || mobile })
    }
    return out
  }

  const write = () => {
    const order = parties().map((p) => p.slot)
    const placed = boxes.filter((b) => order.includes(b.slot)).map((b) => ({
      partyIndex: order.indexOf(b.slot), page: b.page, kind: b.kind,
      x: round(b.x), y: round(b.y), width: round(b.width), height: round(b.height),
    }))
    input.value = placed.length === 0 ? "" : JSON.stringify(placed)
    const orphans = boxes.length - placed.length
    status.textContent = placed.length === 0
      ? "尚未放置签署位置：发起后默认放在最后一页底部。"
      : `已放置 ${placed.length} 个签署位置${orphans > 0 ? `（${orphans} 个所属签署方已移除，不会保存）` : ""}。`
  }
  const round = (n) => Math.round(n * 100) / 100

  const refreshParties = () => {
    const list = parties()
    const chosen = partySelect.value
    partySelect.replaceChildren(...list.map((p, i) => new Option(`${i + 1}. ${p.label}`, p.slot)))
    if (list.some((p) => p.slot === chosen)) partySelect.value = chosen
    addButton.disabled = list.length === 0 || pages.length === 0
    for (const b of boxes) label(b)
    write()
  }

  const label = (b) => {
    if (!b.el) return
    const list = parties()
    const i = list.findIndex((p) => p.slot === b.slot)
    b.el.classList.toggle("orphan", i < 0)
    b.el.querySelector(".box-label").textContent = `${i < 0 ? "（已移除）" : list[i].label} · ${KINDS[b.kind]}`
  }

  // PDF points <-> CSS pixels of a page's viewport (pdf.js handles rotation and the crop box origin).
  const place = (b) => {
    const page = pages[b.page - 1]
    const [x1, y1, x2, y2] = page.viewport.convertToViewportRectangle([b.x, b.y, b.x + b.width, b.y + b.height])
    Object.assign(b.el.style, {
      left: `${Math.min(x1, x2)}px`, top: `${Math.min(y1, y2)}px`, width: `${Math.abs(x2 - x1)}px`, height: `${Math.abs(y2 - y1)}px`,
    })
    if (b.el.parentElement !== page.el) page.el.append(b.el)
  }
  const fromPixels = (b, left, top, width, height) => {
    const vp = pages[b.page - 1].viewport
    const [ax, ay] = vp.convertToPdfPoint(left, top)
    const [bx, by] = vp.convertToPdfPoint(left + width, top + height)
    Object.assign(b, { x: Math.min(ax, bx), y: Math.min(ay, by), width: Math.abs(bx - ax), height: Math.abs(by - ay) })
  }

  const makeBox = (b) => {
    const el = document.createElement("div")
    el.className = `placement-box kind-${b.kind}`
    el.tabIndex = 0
    el.innerHTML = '<span class="box-label"></span><button type="button" class="box-remove" aria-label="删除该签署位置">×</button><span class="box-resize" aria-hidden="true"></span>'
    b.el = el
    el.querySelector(".box-remove").addEventListener("click", () => {
      boxes = boxes.filter((x) => x !== b)
      el.remove()
      write()
    })
    el.addEventListener("pointerdown", (e) => drag(e, b))
    boxes.push(b)
    place(b)
    label(b)
    return b
  }

  // Dragging moves the box (or, from its corner handle, resizes it), kept inside its page.
  const drag = (e, b) => {
    if (e.target.closest(".box-remove")) return
    e.preventDefault()
    const resizing = e.target.classList.contains("box-resize")
    const el = b.el
    const page = el.parentElement
    const start = { x: e.clientX, y: e.clientY, left: el.offsetLeft, top: el.offsetTop, width: el.offsetWidth, height: el.offsetHeight }
    el.setPointerCapture(e.pointerId)
    el.classList.add("dragging")
    const move = (ev) => {
      const dx = ev.clientX - start.x
      const dy = ev.clientY - start.y
      const maxW = page.clientWidth
      const maxH = page.clientHeight
      if (resizing) {
        el.style.width = `${clamp(start.width + dx, 16, maxW - start.left)}px`
        el.style.height = `${clamp(start.height + dy, 12, maxH - start.top)}px`
      } else {
        el.style.left = `${clamp(start.left + dx, 0, maxW - start.width)}px`
        el.style.top = `${clamp(start.top + dy, 0, maxH - start.height)}px`
      }
    }
    const end = () => {
      el.removeEventListener("pointermove", move)
      el.classList.remove("dragging")
      fromPixels(b, el.offsetLeft, el.offsetTop, el.offsetWidth, el.offsetHeight)
      write()
    }
    el.addEventListener("pointermove", move)
    el.addEventListener("pointerup", end, { once: true })
    el.addEventListener("pointercancel", end, { once: true })
  }
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v))

  addButton.addEventListener("click", () => {
    const n = Number(pageSelect.value) || pages.length
    const vp = pages[n - 1].viewport
    const [w, h] = SIZES[kindSelect.value]
    // A new box starts near the top-left corner of the chosen page; drag it into place.
    const scale = vp.scale
    const b = { slot: partySelect.value, kind: kindSelect.value, page: n }
    fromPixels(b, 24, 24, Math.min(w * scale, vp.width - 48), Math.min(h * scale, vp.height - 48))
    makeBox(b).el.focus()
    write()
  })

  const render = async (source) => {
    for (const b of boxes) b.el.remove()
    pagesEl.replaceChildren()
    pages = []
    status.textContent = "正在加载页面预览…"
    const doc = await pdfjs.getDocument(source).promise
    // The pages' box is hidden while empty (0 wide): measure the fieldset's content box instead, so that on a
    // phone the pages are drawn at the width they are shown at (else the boxes' pixels and points disagree).
    const inner = root.clientWidth - parseFloat(getComputedStyle(root).paddingLeft) - parseFloat(getComputedStyle(root).paddingRight) - 16
    const width = Math.min(MAX_WIDTH, pagesEl.clientWidth || inner || MAX_WIDTH)
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n)
      const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width })
      const wrap = document.createElement("div")
      wrap.className = "placement-page"
      wrap.dataset.page = String(n)
      wrap.style.width = `${viewport.width}px`
      wrap.style.height = `${viewport.height}px`
      const canvas = document.createElement("canvas")
      const dpr = window.devicePixelRatio || 1
      canvas.width = Math.floor(viewport.width * dpr)
      canvas.height = Math.floor(viewport.height * dpr)
      canvas.setAttribute("aria-label", `第 ${n} 页`)
      const caption = document.createElement("p")
      caption.className = "placement-caption"
      caption.textContent = `第 ${n} / ${doc.numPages} 页`
      wrap.append(canvas)
      pagesEl.append(caption, wrap)
      await page.render({ canvas, viewport, transform: dpr === 1 ? undefined : [dpr, 0, 0, dpr, 0, 0] }).promise
      pages.push({ page: n, viewport, el: wrap })
    }
    pageSelect.replaceChildren(...pages.map((p) => new Option(`第 ${p.page} 页`, String(p.page))))
    pageSelect.value = String(pages.length)
    // Boxes kept from before (a draft, or a form shown again with an error) on pages this document has.
    const kept = boxes.filter((b) => b.page <= pages.length)
    boxes = []
    for (const b of kept) makeBox(b)
    tools.hidden = false
    root.classList.add("ready")
    refreshParties()
  }

  // Boxes already in the form: a draft being resumed, or a form shown again after an error.
  try {
    const order = parties().map((p) => p.slot)
    const initial = input.value.trim() === "" ? [] : JSON.parse(input.value)
    boxes = initial.filter((f) => order[f.partyIndex] !== undefined).map((f) => ({
      slot: order[f.partyIndex], kind: f.kind, page: f.page, x: f.x, y: f.y, width: f.width, height: f.height,
    }))
  } catch {
    boxes = []
  }

  form.addEventListener("input", (e) => {
    if (e.target.closest("[data-party-slot]")) refreshParties()
  })
  form.addEventListener("change", (e) => {
    if (e.target.closest("[data-party-slot]")) refreshParties()
  })
  const file = form.querySelector("input[type=file][name=document]")
  const fail = () => { status.textContent = "无法预览该文件（可能不是有效的 PDF）；发起后签署位置默认在最后一页底部。" }
  const previewChosen = () => {
    const chosen = file?.files?.[0]
    if (!chosen) return false
    chosen.arrayBuffer().then((data) => render({ data: new Uint8Array(data) })).catch(fail)
    return true
  }
  if (file) file.addEventListener("change", previewChosen)
  // This module runs once pdf.js has loaded: a file chosen before that fired its change event
  // with no one listening, so the input is read now (else the stored document, for a draft).
  if (!previewChosen() && root.dataset.pdfUrl) render({ url: root.dataset.pdfUrl }).catch(fail)
  write()
}
