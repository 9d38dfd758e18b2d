import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { Ocr, OcrFailed } from "../../core/ports/Ocr.ts"
import { layer } from "./index.ts"

/** An engine that reads the first byte as the name and counts its calls; byte 0 makes it fail. */
const countingEngine = () => {
  const calls: Array<string> = []
  const field = (image: Uint8Array) => ({ value: `n${image[0]}`, confidence: 0.9 })
  const engine = Layer.succeed(Ocr, {
    readIdCard: (image) => Effect.suspend(() => {
      calls.push(`id ${image[0]}`)
      return image[0] === 0 ? Effect.fail(new OcrFailed({ detail: "engine down" })) : Effect.succeed({ name: field(image), idNumber: null })
    }),
    readLicence: (image) => Effect.sync(() => {
      calls.push(`licence ${image[0]}`)
      return { name: field(image), creditCode: null }
    }),
  })
  return { calls, engine }
}

const run = <A, E>(capacity: number, engine: Layer.Layer<Ocr>, program: Effect.Effect<A, E, Ocr>) =>
  Effect.runPromise(Effect.provide(program, layer(capacity).pipe(Layer.provide(engine))))

describe("OCR cache", () => {
  it("reads an image once per kind, answers again from memory, and keeps the answer equal", async () => {
    const { calls, engine } = countingEngine()
    const image = new Uint8Array([7, 1, 2])
    const [a, b, c] = await run(8, engine, Effect.gen(function*() {
      const ocr = yield* Ocr
      return [yield* ocr.readIdCard(image), yield* ocr.readIdCard(new Uint8Array([7, 1, 2])), yield* ocr.readLicence(image)] as const
    }))
    expect(a).toEqual({ name: { value: "n7", confidence: 0.9 }, idNumber: null })
    expect(b).toEqual(a)
    expect(c.name?.value).toBe("n7")
    expect(calls).toEqual(["id 7", "licence 7"])
  })

  it("does not remember failures, and forgets the least recently used image beyond its capacity", async () => {
    const { calls, engine } = countingEngine()
    const img = (n: number) => new Uint8Array([n, 9])
    await run(2, engine, Effect.gen(function*() {
      const ocr = yield* Ocr
      expect((yield* Effect.flip(ocr.readIdCard(img(0))))._tag).toBe("OcrFailed")
      expect((yield* Effect.flip(ocr.readIdCard(img(0))))._tag).toBe("OcrFailed")
      yield* ocr.readIdCard(img(1))
      yield* ocr.readIdCard(img(2))
      yield* ocr.readIdCard(img(1)) // remembered; 2 is now the least recently used
      yield* ocr.readIdCard(img(3)) // evicts 2
      yield* ocr.readIdCard(img(1))
      yield* ocr.readIdCard(img(2))
    }))
    expect(calls).toEqual(["id 0", "id 0", "id 1", "id 2", "id 3", "id 2"])
  })
})
