import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Layer, Result } from "effect"
import { layer as layerCrypto } from "../../../adapters/crypto-node/index.ts"
import { webCryptoLayer } from "../../../adapters/keys-software/index.ts"
import { publish } from "../../../core/evidence/checkpoint.ts"
import { exportBundle } from "../../../core/evidence/exportBundle.ts"
import { parseNote } from "../../../core/evidence/note.ts"
import { recordEvent } from "../../../core/evidence/recordEvent.ts"
import { verifyBundle } from "../../../core/evidence/verifyBundle.ts"
import { cosignedMessage, formatCosignatureLine, formatWitnessKey, witnessKeyOf } from "../../../core/evidence/witness.ts"
import { bootForTest } from "../../../fixtures/boot.ts"

/** A witness: an Ed25519 key generated here, and the cosignature/v1 line it would send. */
const makeWitness = (name: string) => {
  const { privateKey } = generateKeyPairSync("ed25519")
  const publicKey = new Uint8Array(createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(-32))
  const key = witnessKeyOf(name, publicKey)
  const cosign = (checkpointText: string, timestamp = Math.floor(Date.now() / 1000), signer: KeyObject = privateKey) =>
    formatCosignatureLine({ name, keyHash: key.keyHash, timestamp, signature: new Uint8Array(sign(null, cosignedMessage(checkpointText, timestamp), signer)) })
  return { key, vkey: formatWitnessKey(key), cosign }
}

const witness = makeWitness("witness.example/w1")
const stranger = makeWitness("witness.example/w2")
let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest({ SIGNET_WITNESSES: witness.vkey }) })
afterAll(() => app.close())

const post = async (body: unknown) => {
  const r = await app.web.request("http://localhost/evidence/log/witness", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
  return { status: r.status, json: await r.json() as Record<string, unknown> }
}
const offline = <A, E>(e: Effect.Effect<A, E, any>) => Effect.runPromise(e.pipe(Effect.provide(Layer.mergeAll(layerCrypto, webCryptoLayer))) as Effect.Effect<A, E>)

describe("witness cosignatures (POST /evidence/log/witness)", () => {
  it("a configured witness's cosignature is verified, stored once, carried by later bundles and checked by the verifier", async () => {
    const subjectId = "1500000000000000001"
    await app.run(recordEvent({ type: "user.registered", subjectId, role: "user" }))
    const { checkpoint } = await app.run(publish())
    const text = Result.getOrThrow(parseNote(checkpoint.note)).text
    const line = witness.cosign(text)

    // JSON from a machine, no session, no CSRF token: accepted on the signature alone.
    expect(await post({ checkpoint: checkpoint.note, cosignature: line })).toEqual({ status: 201, json: { size: checkpoint.size, witness: "witness.example/w1", stored: true } })
    expect((await post({ checkpoint: text, cosignature: line })).status).toBe(200)

    // Refused: an unknown witness, a signature that does not verify, a checkpoint we never issued, junk.
    expect((await post({ checkpoint: text, cosignature: stranger.cosign(text) })).status).toBe(403)
    expect((await post({ checkpoint: text, cosignature: witness.cosign(text, 1_700_000_000, generateKeyPairSync("ed25519").privateKey) })).status).toBe(422)
    expect((await post({ checkpoint: text, cosignature: witness.cosign(text, Math.floor(Date.now() / 1000) + 3600) })).status).toBe(422)
    const forged = text.replace(/\n([A-Za-z0-9+/]{43}=)\n$/, (_, root: string) => `\n${root.startsWith("A") ? "B" : "A"}${root.slice(1)}\n`)
    expect(forged).not.toBe(text)
    expect((await post({ checkpoint: forged, cosignature: witness.cosign(forged) })).status).toBe(409)
    const never = text.replace(`\n${checkpoint.size}\n`, `\n${checkpoint.size + 500}\n`)
    expect((await post({ checkpoint: never, cosignature: witness.cosign(never) })).status).toBe(409)
    expect((await post({ checkpoint: text })).status).toBe(400)
    expect((await app.web.request("http://localhost/evidence/log/witness", { method: "POST", body: "not json" })).status).toBe(400)

    // Another event later, so a newer checkpoint is issued: the bundle is still proven against the witnessed one, which covers it.
    await app.run(recordEvent({ type: "user.registered", subjectId: "1500000000000000002", role: "user" }))
    expect((await app.run(publish())).checkpoint.size).toBeGreaterThan(checkpoint.size)
    const bundle = await app.run(exportBundle(`user:${subjectId}`, { withOpenings: false }))
    expect(bundle.checkpoint.note).toBe(checkpoint.note)
    expect(bundle.checkpoint.cosignatures).toEqual([line])
    expect(bundle.witnesses).toEqual([witness.vkey])
    const checks = await offline(verifyBundle(JSON.parse(JSON.stringify(bundle)), { witnessKeys: [witness.vkey] }))
    expect(checks.find((c) => c.name === "witness cosignatures")?.status).toBe("pass")
    expect(checks.filter((c) => c.status === "fail")).toEqual([])

    const failing = async (b: unknown, witnessKeys?: Array<string>) =>
      (await offline(verifyBundle(b, { witnessKeys }))).filter((c) => c.status === "fail").map((c) => c.name)
    const tampered = { ...bundle, checkpoint: { ...bundle.checkpoint, cosignatures: [stranger.cosign(text).replace("witness.example/w2", "witness.example/w1")] } }
    expect(await failing(tampered)).toEqual(["witness cosignatures"])
    expect(await failing(bundle, [stranger.vkey])).toEqual(["witness cosignatures"])
  })
})
