/**
 * Renders a generated seal to a PNG (docs/seal-sample.png by default), the
 * README's sample: `npx tsx scripts/render-seal.ts [name] [use] [out.png] [dpi]`.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { Effect } from "effect"
import { layer as fontLayer } from "../adapters/font-cjk/index.ts"
import { sealPng, sealVector } from "../core/seals/image/sealImage.ts"

const [name = "北京示例科技有限公司", use = "合同专用章", out = "docs/seal-sample.png", dpi = "300"] = process.argv.slice(2)

const png = await Effect.runPromise(
  Effect.map(sealVector({ enterpriseName: name, use }), (v) => sealPng(v, Number(dpi))).pipe(Effect.provide(fontLayer())),
)
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, png)
console.log(`${out}: ${png.length} bytes`)
