import { Context } from "effect"

/** A QR code's module matrix (dark = true). Adapter: `adapters/evidence-qr` (the qrcode package's encoder). */
export class QrEncoder extends Context.Service<QrEncoder, {
  readonly encode: (text: string) => { readonly size: number; readonly dark: (row: number, col: number) => boolean }
}>()("core/evidence/QrEncoder") {}
