/**
 * Vector shapes and an anti-aliased scanline rasterizer for seal images, in
 * plain TypeScript (no canvas: core runs on Deno and in tests without a GPU).
 * Shapes are closed polygons filled by the non-zero winding rule, the rule
 * TrueType outlines are drawn with; curves are flattened first.
 */

export type Point = readonly [number, number]
/** One closed outline (the last point joins the first). */
export type Contour = ReadonlyArray<Point>
/** Outlines filled together with the non-zero rule (a ring is an outer and a reversed inner circle). */
export type Shape = ReadonlyArray<Contour>

/** An affine map [a, b, c, d, e, f]: (x, y) -> (a x + c y + e, b x + d y + f), as in PDF's `cm`. */
export type Affine = readonly [number, number, number, number, number, number]

export const apply = (m: Affine, [x, y]: Point): Point => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]

/** `first` then `second`. */
export const compose = (first: Affine, second: Affine): Affine => [
  second[0] * first[0] + second[2] * first[1],
  second[1] * first[0] + second[3] * first[1],
  second[0] * first[2] + second[2] * first[3],
  second[1] * first[2] + second[3] * first[3],
  second[0] * first[4] + second[2] * first[5] + second[4],
  second[1] * first[4] + second[3] * first[5] + second[5],
]

export const mapShape = (m: Affine, shape: Shape): Shape => shape.map((c) => c.map((p) => apply(m, p)))

/** A circle as a polygon, counter-clockwise (y up) unless `reverse`. */
export const circle = (cx: number, cy: number, r: number, segments = 256, reverse = false): Contour =>
  Array.from({ length: segments }, (_, i) => {
    const t = ((reverse ? -i : i) / segments) * 2 * Math.PI
    return [cx + r * Math.cos(t), cy + r * Math.sin(t)] as const
  })

/** A five-pointed star, one point straight up (y up), inner radius the regular star's (0.382 R). */
export const star = (cx: number, cy: number, r: number): Contour =>
  Array.from({ length: 10 }, (_, i) => {
    const radius = i % 2 === 0 ? r : r * 0.381966
    const t = Math.PI / 2 + (i * Math.PI) / 5
    return [cx + radius * Math.cos(t), cy + radius * Math.sin(t)] as const
  })

/** Path commands as fontkit records them (font units, y up). */
export type PathCommand =
  | { readonly command: "moveTo" | "lineTo"; readonly args: ReadonlyArray<number> }
  | { readonly command: "quadraticCurveTo" | "bezierCurveTo" | "closePath"; readonly args: ReadonlyArray<number> }

/**
 * Flattens path commands into contours after mapping them with `m`, so the
 * flatness `tolerance` is in output units. Curves are split into enough
 * segments that no chord strays further than the tolerance from the curve.
 */
export const flatten = (commands: ReadonlyArray<PathCommand>, m: Affine, tolerance: number): Shape => {
  const contours: Array<Array<Point>> = []
  let current: Array<Point> = []
  let pen: Point = [0, 0]
  const close = () => {
    if (current.length >= 3) contours.push(current)
    current = []
  }
  const at = (args: ReadonlyArray<number>, i: number): Point => apply(m, [args[i] ?? 0, args[i + 1] ?? 0])
  for (const { command, args } of commands) {
    if (command === "moveTo") {
      close()
      pen = at(args, 0)
      current.push(pen)
    } else if (command === "lineTo") {
      pen = at(args, 0)
      current.push(pen)
    } else if (command === "quadraticCurveTo") {
      const [p0, p1, p2] = [pen, at(args, 0), at(args, 2)]
      const d = Math.hypot(p0[0] - 2 * p1[0] + p2[0], p0[1] - 2 * p1[1] + p2[1])
      const n = Math.max(1, Math.min(64, Math.ceil(Math.sqrt(d / (4 * tolerance)))))
      for (let i = 1; i <= n; i++) {
        const t = i / n, u = 1 - t
        current.push([u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0], u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1]])
      }
      pen = p2
    } else if (command === "bezierCurveTo") {
      const [p0, p1, p2, p3] = [pen, at(args, 0), at(args, 2), at(args, 4)]
      const d = Math.max(
        Math.hypot(p0[0] - 2 * p1[0] + p2[0], p0[1] - 2 * p1[1] + p2[1]),
        Math.hypot(p1[0] - 2 * p2[0] + p3[0], p1[1] - 2 * p2[1] + p3[1]),
      )
      const n = Math.max(1, Math.min(64, Math.ceil(Math.sqrt((3 * d) / (4 * tolerance)))))
      for (let i = 1; i <= n; i++) {
        const t = i / n, u = 1 - t
        const a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, e = t * t * t
        current.push([a * p0[0] + b * p1[0] + c * p2[0] + e * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + e * p3[1]])
      }
      pen = p3
    } else {
      close()
    }
  }
  close()
  return contours
}

interface Edge {
  readonly x0: number
  readonly y0: number
  readonly x1: number
  readonly y1: number
  readonly top: number
  readonly bottom: number
  readonly winding: 1 | -1
}

const edgesOf = (shape: Shape): Array<Edge> => {
  const out: Array<Edge> = []
  for (const c of shape) {
    for (let i = 0; i < c.length; i++) {
      const [x0, y0] = c[i]!
      const [x1, y1] = c[(i + 1) % c.length]!
      if (y0 === y1) continue
      out.push({ x0, y0, x1, y1, top: Math.min(y0, y1), bottom: Math.max(y0, y1), winding: y1 > y0 ? 1 : -1 })
    }
  }
  return out
}

/** Adds the coverage of the span [xa, xb) on one sub-scanline, weighted by `w`, to `row`. */
const addSpan = (row: Float32Array, xa: number, xb: number, w: number) => {
  const width = row.length
  const a = Math.max(0, xa), b = Math.min(width, xb)
  if (b <= a) return
  const ia = Math.floor(a), ib = Math.floor(b)
  if (ia === ib) {
    row[ia]! += (b - a) * w
    return
  }
  row[ia]! += (ia + 1 - a) * w
  for (let i = ia + 1; i < ib; i++) row[i]! += w
  if (ib < width) row[ib]! += (b - ib) * w
}

/**
 * Anti-aliased coverage (0..1 per pixel) of `shapes` given in pixel
 * coordinates (y down). Each shape is filled by the non-zero rule and
 * composited over the ones before it, so overlapping shapes never cancel.
 * Vertical anti-aliasing by `samples` sub-scanlines per row, horizontal by
 * exact span coverage.
 */
export const rasterize = (shapes: ReadonlyArray<Shape>, width: number, height: number, samples = 5): Float32Array => {
  const alpha = new Float32Array(width * height)
  const row = new Float32Array(width)
  const crossings: Array<{ x: number; w: 1 | -1 }> = []
  for (const shape of shapes) {
    const edges = edgesOf(shape)
    if (edges.length === 0) continue
    const top = Math.max(0, Math.floor(Math.min(...edges.map((e) => e.top))))
    const bottom = Math.min(height, Math.ceil(Math.max(...edges.map((e) => e.bottom))))
    for (let py = top; py < bottom; py++) {
      row.fill(0)
      const active = edges.filter((e) => e.top < py + 1 && e.bottom > py)
      for (let s = 0; s < samples; s++) {
        const sy = py + (s + 0.5) / samples
        crossings.length = 0
        for (const e of active) {
          if (sy < e.top || sy >= e.bottom) continue
          crossings.push({ x: e.x0 + ((sy - e.y0) * (e.x1 - e.x0)) / (e.y1 - e.y0), w: e.winding })
        }
        crossings.sort((p, q) => p.x - q.x)
        let winding = 0
        let start = 0
        for (const c of crossings) {
          const before = winding
          winding += c.w
          if (before === 0 && winding !== 0) start = c.x
          else if (before !== 0 && winding === 0) addSpan(row, start, c.x, 1 / samples)
        }
      }
      const base = py * width
      for (let x = 0; x < width; x++) {
        const c = Math.min(1, row[x]!)
        if (c > 0) alpha[base + x] = alpha[base + x]! + c * (1 - alpha[base + x]!)
      }
    }
  }
  return alpha
}
