// 签署位置 (C1): renders the contract's pages with pdf.js (placement.js, shared with the template editor)
// and lets the initiator add a box per party and kind, drag it, resize it. The boxes are written into the
// hidden input `fields` as the server's SignField schema expects: page (1-based) and x, y, width, height
// in PDF points, origin bottom-left. Without this script the form still works (default placement).
import { BOX_SIZES, boxPoints, drawWidth, makeBoxElement, placeBox, renderPages, round, toPoints } from "/static/placement.js"

const KINDS = { signature: "签名", seal: "印章", date: "日期" }

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

  const makeBox = (b) => {
    const remove = () => {
      boxes = boxes.filter((x) => x !== b)
      b.el.remove()
      write()
    }
    const moved = () => {
      Object.assign(b, boxPoints(b.el, pages[b.page - 1]))
      write()
    }
    b.el = makeBoxElement(`kind-${b.kind}`, "删除该签署位置", remove, moved)
    boxes.push(b)
    placeBox(b.el, pages[b.page - 1], b)
    label(b)
    return b
  }

  addButton.addEventListener("click", () => {
    const n = Number(pageSelect.value) || pages.length
    const vp = pages[n - 1].viewport
    const [w, h] = BOX_SIZES[kindSelect.value]
    // A new box starts near the top-left corner of the chosen page; drag it into place.
    const scale = vp.scale
    const b = { slot: partySelect.value, kind: kindSelect.value, page: n, ...toPoints(pages[n - 1], 24, 24, Math.min(w * scale, vp.width - 48), Math.min(h * scale, vp.height - 48)) }
    makeBox(b).el.focus()
    write()
  })

  const render = async (source) => {
    for (const b of boxes) b.el?.remove()
    pages = []
    status.textContent = "正在加载页面预览…"
    pages = await renderPages(source, pagesEl, drawWidth(root, pagesEl))
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
