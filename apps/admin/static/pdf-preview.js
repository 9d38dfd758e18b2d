// An uploaded PDF (business licence, authorization letter, application form) drawn by pdf.js to canvas for the
// reviewer. Replaces the native PDF <object>: Chromium's embedded viewer is slow to start, blank on phones, and
// while it starts it has closed the confirm dialogs of staff acts on the same page. Pages are drawn as the
// portal draws them (web/static/pdf-pages.js) when a preview nears the screen; at most MAX_PAGES pages, the link
// opens the whole file.
import { drawPage, openPdf } from "/static/pdf-pages.js"

const MAX_PAGES = 4
const previews = document.querySelectorAll(".pdf-preview[data-src]")
if (previews.length > 0) {
  const near = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue
      near.unobserve(e.target)
      show(e.target).catch(() => { status(e.target).textContent = "预览加载失败，请在新窗口打开查看。" })
    }
  }, { rootMargin: "300px 0px" })
  for (const el of previews) near.observe(el)

  function status(root) { return root.querySelector(".pdf-preview-status") }

  async function show(root) {
    status(root).textContent = "正在加载预览…"
    const doc = await openPdf({ url: root.dataset.src })
    const pages = root.querySelector(".pdf-preview-pages")
    const shown = Math.min(doc.numPages, MAX_PAGES)
    for (let n = 1; n <= shown; n++) {
      const page = await doc.getPage(n)
      const { canvas, drawn } = drawPage(page, pages.clientWidth || page.getViewport({ scale: 1 }).width)
      canvas.setAttribute("role", "img")
      canvas.setAttribute("aria-label", `${root.dataset.label} 第 ${n} 页，共 ${doc.numPages} 页`)
      pages.append(canvas)
      await drawn
    }
    status(root).textContent = doc.numPages > shown ? `共 ${doc.numPages} 页，此处显示前 ${shown} 页` : `共 ${doc.numPages} 页`
  }
}
