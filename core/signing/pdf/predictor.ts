/** Undo PNG predictors (/Predictor >= 10), as used by xref streams and object streams. */
export const unpredictPng = (data: Uint8Array, columns: number, colors = 1, bitsPerComponent = 8): Uint8Array => {
  const bpp = Math.max(1, Math.ceil((colors * bitsPerComponent) / 8))
  const rowLength = Math.ceil((columns * colors * bitsPerComponent) / 8)
  const rows = Math.floor(data.length / (rowLength + 1))
  const out = new Uint8Array(rows * rowLength)
  for (let r = 0; r < rows; r++) {
    const filter = data[r * (rowLength + 1)] ?? 0
    const src = r * (rowLength + 1) + 1
    const dst = r * rowLength
    for (let i = 0; i < rowLength; i++) {
      const raw = data[src + i] ?? 0
      const left = i >= bpp ? (out[dst + i - bpp] ?? 0) : 0
      const up = r > 0 ? (out[dst + i - rowLength] ?? 0) : 0
      const upLeft = r > 0 && i >= bpp ? (out[dst + i - rowLength - bpp] ?? 0) : 0
      let value: number
      switch (filter) {
        case 0: value = raw; break
        case 1: value = raw + left; break
        case 2: value = raw + up; break
        case 3: value = raw + ((left + up) >> 1); break
        case 4: {
          const p = left + up - upLeft
          const pa = Math.abs(p - left), pb = Math.abs(p - up), pc = Math.abs(p - upLeft)
          value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft)
          break
        }
        default: value = raw
      }
      out[dst + i] = value & 0xff
    }
  }
  return out
}
