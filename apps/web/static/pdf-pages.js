// PDF pages drawn by pdf.js (served from /static, no CDN) to canvas: one way for every page drawn in the apps,
// the portal's 合同预览 (viewer.js), box placement (placement.js) and the admin's review previews
// (admin/static/pdf-preview.js). pdf.js is imported on the first document opened.
let pdfjs = null

/** Opens a PDF from a pdf.js source ({ url } or { data }), importing pdf.js on first use. */
export const openPdf = async (source) => {
  if (pdfjs === null) {
    pdfjs = await import("/static/pdf.min.mjs")
    pdfjs.GlobalWorkerOptions.workerSrc = "/static/pdf.worker.min.mjs"
  }
  return pdfjs.getDocument({ ...source, isEvalSupported: false }).promise
}

/**
 * Draws `page` `cssWidth` CSS pixels wide on a new canvas, sharp on screens up to 2x. Returns the canvas (to be
 * placed by the caller), the viewport in CSS pixels, the page's at scale 1 (PDF points), and the drawing.
 */
export const drawPage = (page, cssWidth) => {
  const base = page.getViewport({ scale: 1 })
  const viewport = page.getViewport({ scale: cssWidth / base.width })
  const dpr = Math.min(window.devicePixelRatio || 1, 2)
  const canvas = document.createElement("canvas")
  canvas.width = Math.floor(viewport.width * dpr)
  canvas.height = Math.floor(viewport.height * dpr)
  const drawn = page.render({ canvas, viewport, transform: dpr === 1 ? undefined : [dpr, 0, 0, dpr, 0, 0] }).promise
  return { canvas, viewport, base, drawn }
}
