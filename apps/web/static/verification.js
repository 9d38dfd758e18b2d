// Preview of a chosen photo before it is sent (the form works without this).
(() => {
  document.addEventListener("change", (e) => {
    const input = e.target
    if (!(input instanceof HTMLInputElement) || input.type !== "file") return
    const box = document.querySelector(`[data-preview-for="${input.id}"]`)
    const file = input.files && input.files[0]
    if (!box || !file) return
    box.textContent = ""
    if (file.type === "image/jpeg" || file.type === "image/png") {
      const img = document.createElement("img")
      img.alt = "所选照片预览"
      img.src = URL.createObjectURL(file)
      box.appendChild(img)
    } else {
      box.textContent = `已选择：${file.name}`
    }
    if (file.size > 10 * 1024 * 1024) {
      const warn = document.createElement("p")
      warn.className = "field-error"
      warn.textContent = "文件大小超过10M，请重新选择"
      box.appendChild(warn)
    }
  })
})()
