import { execFileSync } from "node:child_process"
import { createVerify, X509Certificate } from "node:crypto"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import * as pkijs from "pkijs"
import { anApplication, anInvoice, aUser } from "../../fixtures/contracts/OrderRepository.contract.ts"
import { layerTestNoEvidence, TEST_EPOCH } from "../../fixtures/layers.ts"
import { openTestCa } from "../../fixtures/signing/pki.ts"
import { initSoftHsmToken, SOFTHSM_MODULE } from "../../fixtures/signing/softhsm.ts"
import { tempDir } from "../../fixtures/signing/validators.ts"
import { requireTools } from "../../fixtures/tools.ts"
import type { Application } from "../../core/orders/Application.ts"
import { applyEvent } from "../../core/orders/applyEvent.ts"
import { layerDefaultCatalogue } from "../../core/orders/Catalogue.ts"
import { createOrder } from "../../core/orders/createOrder.ts"
import { makeKey } from "../../core/orders/makeKey.ts"
import type { Order } from "../../core/orders/Order.ts"
import { getOrderForStaff } from "../../core/orders/listOrders.ts"
import { approveOrder } from "../../core/orders/reviewOrder.ts"
import { UsbKeyIssuer } from "../../core/ports/UsbKeyIssuer.ts"
import type { StaffId } from "../../core/kernel/Ids.ts"
import { UserRepository } from "../../core/ports/UserRepository.ts"
import type { DirectoryCa } from "../ca/index.ts"
import { toPem } from "../keys-software/index.ts"
import { openToken } from "../pkcs11/index.ts"
import { layerOrderRepository } from "../sql/orders.ts"
import { inspectKey, KEY_LABEL, makeUsbKeyIssuer } from "./index.ts"
import { initToken, tokenExists } from "./token.ts"
import { OrderRepository } from "../../core/ports/OrderRepository.ts"
import { RepositoryError } from "../../core/kernel/errors.ts"

const ok = requireTools("USB-Key (SoftHSM2)", "softhsm2-util", SOFTHSM_MODULE, "openssl")
const USER_PIN = "246810"
const staff = "1300000000000000002" as StaffId

let ca: DirectoryCa
const layerIssuer = Layer.effect(
  UsbKeyIssuer,
  Effect.promise(async () => {
    // Points SOFTHSM2_CONF at a fresh token directory before the module is loaded.
    initSoftHsmToken("signet-bootstrap")
    ca = await openTestCa()
    return makeUsbKeyIssuer({ module: SOFTHSM_MODULE, ca, soPin: "13579024", userPin: USER_PIN })
  }),
)
const layer = Layer.mergeAll(layerOrderRepository, layerDefaultCatalogue, layerIssuer).pipe(Layer.provideMerge(layerTestNoEvidence))

const outcome = <A, E extends { readonly _tag: string }, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.match(eff, { onFailure: (e) => e._tag, onSuccess: () => "success" })

/** A paid and approved order for `application`. */
const approved = (application: Application) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(TEST_EPOCH)
    const u = aUser()
    yield* (yield* UserRepository).insert(u)
    const order = yield* createOrder(u.id, { application, delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })
    yield* applyEvent(order, { _tag: "Pay", tradeNo: `T${order.id}`, amountFen: order.price.payableFen, at: TEST_EPOCH }, { kind: "payment", id: "test" })
    return yield* approveOrder(staff, order.id)
  })

/** `openssl verify` of a DER certificate against the CA's root, with the issuing CA as intermediate. */
const opensslVerify = (der: Uint8Array, crl = false) => {
  const dir = tempDir("signet-usbkey-")
  writeFileSync(join(dir, "cert.pem"), toPem(der, "CERTIFICATE"))
  writeFileSync(join(dir, "issuing.pem"), toPem(ca.issuingDer, "CERTIFICATE"))
  const args = ["verify", "-CAfile", ca.files.rootCert, "-untrusted", join(dir, "issuing.pem")]
  if (crl) {
    execFileSync("openssl", ["crl", "-inform", "DER", "-in", ca.files.crl, "-out", join(dir, "crl.pem")])
    args.push("-crl_check", "-CRLfile", join(dir, "crl.pem"))
  }
  try {
    return execFileSync("openssl", [...args, join(dir, "cert.pem")], { encoding: "utf8", stdio: "pipe" }).trim()
  } catch (e) {
    return String((e as { stdout?: string; stderr?: string }).stdout ?? "") + String((e as { stderr?: string }).stderr ?? "")
  }
}

const revokedSerials = () =>
  (pkijs.CertificateRevocationList.fromBER(new Uint8Array(readFileSync(ca.files.crl))).revokedCertificates ?? []).map((r) =>
    Buffer.from(r.userCertificate.valueBlock.valueHexView).toString("hex"))

describe.skipIf(!ok)("make key on a SoftHSM2 token (O8)", () => {
  it.layer(layer, { timeout: 60_000 })((it) => {
    it.effect("enterprise: key generated on the order's token, not extractable, certified by the CA, certificate stored beside it", () =>
      Effect.gen(function*() {
        const order = yield* approved(anApplication({ applicant: "enterprise" }))
        const made: Order = yield* makeKey(staff, order.id)
        const serial = made.state.certificateSerial!
        expect(made.state.status).toBe("certificate_made")
        expect(tokenExists(SOFTHSM_MODULE, order.id)).toBe(true)
        const key = inspectKey(SOFTHSM_MODULE, order.id, USER_PIN, KEY_LABEL)
        expect(key).toMatchObject({ privateKeys: 1, sensitive: true, extractable: false, neverExtractable: true, generatedOnToken: true, valueRead: "refused" })
        const der = key.certificateDer!
        const cert = new X509Certificate(Buffer.from(der))
        expect(cert.serialNumber.toLowerCase().replace(/^0+/, "")).toBe(serial.replace(/^0+/, ""))
        expect(cert.subject).toContain("O=南京示例科技有限公司")
        expect(cert.subject).toContain(`NTRCN-${order.application.enterprise!.creditCode}`)
        expect(Date.parse(cert.validTo) - Date.parse(cert.validFrom)).toBeGreaterThanOrEqual(2 * 365 * 86_400_000 - 86_400_000)
        expect(opensslVerify(der)).toMatch(/: OK$/)
        // The token's key is the certified one: a signature made inside the token verifies with the certificate.
        const token = openToken(SOFTHSM_MODULE, order.id, USER_PIN)
        const data = new TextEncoder().encode(`order ${order.id}`)
        const signature = token.sign(KEY_LABEL, "ECDSA-P256-SHA256", data)!
        token.close()
        expect(createVerify("sha256").update(data).verify(cert.publicKey, Buffer.from(signature))).toBe(true)
        // No second key for the same order.
        expect(yield* outcome(makeKey(staff, order.id))).toBe("OrderTransitionRefused")
      }))

    it.effect("personal reissue: the lost certificate's serial goes on the CA's CRL, the new one does not", () =>
      Effect.gen(function*() {
        const first = yield* approved(anApplication({ applicant: "personal" }))
        const lost = (yield* makeKey(staff, first.id)).state.certificateSerial!
        const lostDer = inspectKey(SOFTHSM_MODULE, first.id, USER_PIN, KEY_LABEL).certificateDer!
        expect(opensslVerify(lostDer, true)).toMatch(/: OK$/)
        const reissue = yield* approved({ ...anApplication({ business: "reissue", applicant: "personal" }), lostCertificateSerial: lost })
        const made = yield* makeKey(staff, reissue.id)
        const fresh = made.state.certificateSerial!
        expect(revokedSerials()).toContain(lost)
        expect(revokedSerials()).not.toContain(fresh)
        expect(opensslVerify(lostDer, true)).toContain("certificate revoked")
        expect(opensslVerify(inspectKey(SOFTHSM_MODULE, reissue.id, USER_PIN, KEY_LABEL).certificateDer!, true)).toMatch(/: OK$/)
        const { history } = yield* getOrderForStaff(reissue.id)
        expect(history.at(-1)?.detail).toEqual({ serial: fresh, token: reissue.id, revoked: lost })
      }))

    it.effect("idempotent: a retry after the order could not be written reuses the token it made (fault injected); the order keeps its certificate", () =>
      Effect.gen(function*() {
        const order = yield* approved(anApplication({ applicant: "enterprise" }))
        const repo = yield* OrderRepository
        // The fault: the database refuses the write that records the key (after the token was made).
        const failing: OrderRepository["Service"] = {
          ...repo,
          update: (o) => o.state.status === "certificate_made" ? Effect.fail(new RepositoryError({ operation: "orders.update", cause: "injected fault" })) : repo.update(o),
        }
        expect(yield* outcome(makeKey(staff, order.id).pipe(Effect.provideService(OrderRepository, failing)))).toBe("RepositoryError")
        expect(Option.getOrThrow(yield* repo.find(order.id)).state.status).toBe("approved")
        const onToken = inspectKey(SOFTHSM_MODULE, order.id, USER_PIN, KEY_LABEL)
        expect(onToken.privateKeys).toBe(1)
        const made = yield* makeKey(staff, order.id)
        const key = inspectKey(SOFTHSM_MODULE, order.id, USER_PIN, KEY_LABEL)
        expect(key.privateKeys).toBe(1)
        expect(Buffer.from(key.certificateDer!).equals(Buffer.from(onToken.certificateDer!))).toBe(true)
        expect(made.state.certificateSerial).toBe(new X509Certificate(Buffer.from(key.certificateDer!)).serialNumber.toLowerCase())
        expect(Buffer.from(made.certificateDer!, "base64").equals(Buffer.from(key.certificateDer!))).toBe(true)
      }))

    it.effect("idempotent: a token left half-made (a key, no certificate) is cleaned and made again: one key, certified", () =>
      Effect.gen(function*() {
        const order = yield* approved(anApplication({ applicant: "personal" }))
        initToken(SOFTHSM_MODULE, order.id, "13579024", USER_PIN)
        const token = openToken(SOFTHSM_MODULE, order.id, USER_PIN)
        token.generate(KEY_LABEL, "EC-P256")
        token.close()
        expect(inspectKey(SOFTHSM_MODULE, order.id, USER_PIN, KEY_LABEL)).toMatchObject({ privateKeys: 1, certificateDer: null })
        yield* makeKey(staff, order.id)
        const key = inspectKey(SOFTHSM_MODULE, order.id, USER_PIN, KEY_LABEL)
        expect(key.privateKeys).toBe(1)
        expect(opensslVerify(key.certificateDer!)).toMatch(/: OK$/)
        const t = openToken(SOFTHSM_MODULE, order.id, USER_PIN)
        const data = new TextEncoder().encode("retry")
        const signature = t.sign(KEY_LABEL, "ECDSA-P256-SHA256", data)!
        t.close()
        expect(createVerify("sha256").update(data).verify(new X509Certificate(Buffer.from(key.certificateDer!)).publicKey, Buffer.from(signature))).toBe(true)
      }))

    it.effect("an order that is not approved gets no token", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const u = aUser()
        yield* (yield* UserRepository).insert(u)
        const unpaid = yield* createOrder(u.id, { application: anApplication(), delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })
        expect(yield* outcome(makeKey(staff, unpaid.id))).toBe("OrderTransitionRefused")
        expect(tokenExists(SOFTHSM_MODULE, unpaid.id)).toBe(false)
      }))
  })
})
