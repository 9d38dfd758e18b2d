// 合同预览 (C4): the contract's pages drawn by pdf.js to canvas (a native PDF iframe is blank on most phones).
// pdf.js (served from /static, no CDN; pdf-pages.js) is imported only when the preview nears the screen, and each
// page is drawn only when it scrolls near (IntersectionObserver). The boxes of the viewer's own parties are
// highlighted; other parties' boxes are outlined. Without JavaScript the download link stays.
import { drawPage, openPdf } from "/static/pdf-pages.js"

const root = document.getElementById("contract-viewer")
if (root) start(root)

function start(root) {
  const KINDS = { signature: "签名", seal: "印章", date: "日期" }
  const pagesEl = root.querySelector(".viewer-pages")
  const status = root.querySelector(".viewer-status")
  const fields = JSON.parse(root.dataset.fields || "[]")
  const mine = new Set(JSON.parse(root.dataset.mine || "[]"))
  let started = false

  // After the page itself has loaded and the browser is idle: the sign bar and the text come first.
  const idle = () => new Promise((resolve) => {
    const go = () => (window.requestIdleCallback ? window.requestIdleCallback(() => resolve(), { timeout: 1200 }) : setTimeout(resolve, 50))
    if (document.readyState === "complete") go()
    else window.addEventListener("load", go, { once: true })
  })
  const near = new IntersectionObserver((entries) => {
    if (started || !entries.some((e) => e.isIntersecting)) return
    started = true
    near.disconnect()
    idle().then(load).catch(() => { status.textContent = "预览加载失败，请下载合同查看。" })
  }, { rootMargin: "400px 0px" })
  near.observe(root)

  async function load() {
    status.textContent = "正在加载合同…"
    const doc = await openPdf({ url: root.dataset.src })
    const first = (await doc.getPage(1)).getViewport({ scale: 1 })
    const slots = []
    const placeholder = pagesEl.querySelector(".viewer-placeholder")
    for (let n = 1; n <= doc.numPages; n++) {
      const el = n === 1 && placeholder ? placeholder : document.createElement("div")
      el.removeAttribute("aria-hidden")
      el.className = "viewer-page"
      el.dataset.page = String(n)
      el.style.aspectRatio = `${first.width} / ${first.height}`
      el.setAttribute("role", "img")
      el.setAttribute("aria-label", `第 ${n} 页，共 ${doc.numPages} 页`)
      if (el !== placeholder) pagesEl.append(el)
      slots.push(el)
    }
    status.textContent = `共 ${doc.numPages} 页${mine.size > 0 && fields.some((f) => mine.has(f.partyIndex)) ? "，红框为您的签署位置" : ""}`
    const drawn = new WeakSet()
    const lazy = new IntersectionObserver((entries) => {
      for (const e of entries) {
        if (!e.isIntersecting || drawn.has(e.target)) continue
        drawn.add(e.target)
        lazy.unobserve(e.target)
        draw(doc, e.target).catch(() => { e.target.textContent = "本页加载失败" })
      }
    }, { rootMargin: "600px 0px" })
    for (const el of slots) lazy.observe(el)
  }

  async function draw(doc, el) {
    const n = Number(el.dataset.page)
    const page = await doc.getPage(n)
    const { canvas, base, drawn } = drawPage(page, el.clientWidth || page.getViewport({ scale: 1 }).width)
    el.style.aspectRatio = `${base.width} / ${base.height}`
    canvas.setAttribute("aria-hidden", "true")
    el.prepend(canvas)
    await drawn
    for (const f of fields.filter((f) => f.page === n)) {
      // PDF points (origin bottom-left) to the page's top-left, as fractions so the box follows the page's width.
      const [x1, y1, x2, y2] = base.convertToViewportRectangle([f.x, f.y, f.x + f.width, f.y + f.height])
      const box = document.createElement("div")
      box.className = `viewer-box kind-${f.kind}${mine.has(f.partyIndex) ? " mine" : ""}`
      box.style.left = `${(Math.min(x1, x2) / base.width) * 100}%`
      box.style.top = `${(Math.min(y1, y2) / base.height) * 100}%`
      box.style.width = `${(Math.abs(x2 - x1) / base.width) * 100}%`
      box.style.height = `${(Math.abs(y2 - y1) / base.height) * 100}%`
      box.textContent = `${mine.has(f.partyIndex) ? "您的" : `签署方 ${f.partyIndex + 1} `}${KINDS[f.kind] ?? ""}`
      el.append(box)
    }
  }
}
