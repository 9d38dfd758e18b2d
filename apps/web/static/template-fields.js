// The template editor (企业工作台 → 合同模板 → 设置填写项): the template's pages drawn by pdf.js (placement.js,
// shared with 发起签约) and each editor row's rectangle shown as a box on them. 放置 puts a row's box near the
// top-left corner of its page; dragging the box (a finger or a mouse) or its corner writes the row's page, X,
// Y, 宽, 高 inputs (PDF points, origin bottom-left); typing in them moves the box. The inputs stay the truth
// the server reads: without this script they are filled by hand.
import { BOX_SIZES, boxPoints, drawWidth, makeBoxElement, placeBox, renderPages, round, toPoints } from "/static/placement.js"

/** A new fill-in field's size in PDF points, by kind. */
const FIELD_SIZES = { text: [200, 20], date: [120, 20], checkbox: [16, 16] }

const root = document.getElementById("template-layout")
const form = document.getElementById("template-form")
if (root && form) start(root, form)

function start(root, form) {
  const pagesEl = root.querySelector(".placement-pages")
  const status = root.querySelector(".placement-status")
  let pages = []

  const rows = [...form.querySelectorAll(".template-row[data-row]")].map((el) => {
    const [, what, i] = el.dataset.row.match(/^(field|box)(\d+)$/)
    const input = (k) => el.querySelector(`[name=${what === "field" ? "f" : "b"}${k}${i}]`)
    return {
      el, what, page: input("Page"), x: input("X"), y: input("Y"), w: input("W"), h: input("H"), kind: input("Kind"),
      // A field is named by its label, a signing box by its role.
      name: what === "field" ? input("Label") : input("Role"),
      box: null,
    }
  })

  const rectOf = (r) => ({ page: Number(r.page.value), x: Number(r.x.value), y: Number(r.y.value), width: Number(r.w.value), height: Number(r.h.value) })
  // An empty input reads as 0: a row without a page is not shown.
  const placed = (q) => Number.isInteger(q.page) && q.page >= 1 && q.page <= pages.length && Number.isFinite(q.x) && Number.isFinite(q.y) && q.width > 0 && q.height > 0
  const optionText = (select) => select.selectedOptions[0]?.textContent ?? ""
  const labelOf = (r) => r.what === "field" ? `${r.name.value.trim() || "填写项"} · ${optionText(r.kind)}` : `${optionText(r.name)} · ${optionText(r.kind)}`

  /** The row's box as its inputs say: drawn, moved, or taken away when they do not name a place. */
  const show = (r) => {
    const q = rectOf(r)
    if (!placed(q)) {
      r.box?.remove()
      r.box = null
      return
    }
    if (r.box === null) r.box = makeBoxElement("", "删除该位置", () => clear(r), () => moved(r))
    r.box.className = `placement-box ${r.what === "field" ? "kind-field" : `kind-${r.kind.value}`}${r.box.classList.contains("dragging") ? " dragging" : ""}`
    r.box.querySelector(".box-label").textContent = labelOf(r)
    r.box.querySelector(".box-remove").setAttribute("aria-label", `删除“${labelOf(r)}”的位置`)
    placeBox(r.box, pages[q.page - 1], q)
  }

  const write = (r, q) => {
    r.page.value = String(q.page)
    r.x.value = String(round(q.x))
    r.y.value = String(round(q.y))
    r.w.value = String(round(q.width))
    r.h.value = String(round(q.height))
  }
  const moved = (r) => {
    const page = pages[Number(r.page.value) - 1]
    write(r, { page: page.page, ...boxPoints(r.box, page) })
    show(r)
  }
  const clear = (r) => {
    for (const input of [r.page, r.x, r.y, r.w, r.h]) input.value = ""
    show(r)
  }

  // 放置 on each row: its box near the top-left corner of its page (page 1 if none), or the box already there.
  for (const r of rows) {
    const button = document.createElement("button")
    button.type = "button"
    button.className = "btn btn-secondary place-row"
    button.textContent = "放置"
    button.disabled = true
    button.addEventListener("click", () => {
      if (r.box === null) {
        const page = pages[Math.min(Math.max(Number(r.page.value) || 1, 1), pages.length) - 1]
        const [w, h] = (r.what === "field" ? FIELD_SIZES : BOX_SIZES)[r.kind.value]
        const s = page.viewport.scale
        write(r, { page: page.page, ...toPoints(page, 24, 24, Math.min(w * s, page.viewport.width - 48), Math.min(h * s, page.viewport.height - 48)) })
        show(r)
      }
      r.box.scrollIntoView({ block: "center", behavior: "instant" })
      r.box.focus({ preventScroll: true })
    })
    r.el.append(button)
    r.button = button
    r.el.addEventListener("input", () => show(r))
    r.el.addEventListener("change", () => show(r))
  }

  const render = async () => {
    status.textContent = "正在加载模板预览…"
    pages = await renderPages({ url: root.dataset.pdfUrl }, pagesEl, drawWidth(root, pagesEl))
    for (const r of rows) {
      show(r)
      r.button.disabled = false
    }
    root.classList.add("ready")
    status.textContent = "点填写项或签署位置一行的“放置”，再把页面上的方框拖到要填写或签署的地方；拖动右下角调整大小。也可直接填写数字。"
  }
  render().catch(() => { status.textContent = "无法预览该模板，请直接填写页码和坐标。" })
}
