/**
 * QR codes for evidence reports from the `qrcode` package's encoder core
 * (QRCode.create: the module matrix only, no canvas or PNG renderer). The
 * report draws the matrix itself as vector squares.
 */
import QRCode from "qrcode"
import { Layer } from "effect"
import { QrEncoder } from "../../core/ports/QrEncoder.ts"

export const encode = (text: string) => {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" })
  return { size: modules.size, dark: (row: number, col: number) => Boolean(modules.get(row, col)) }
}

export const layer = Layer.succeed(QrEncoder, { encode })
