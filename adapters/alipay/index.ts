export { beijingTimestamp, layer, makeAlipayGateway, type AlipayConfig } from "./gateway.ts"
export { NOTIFY_EXCLUDES, privateKeyOf, publicKeyOf, REQUEST_EXCLUDES, rsa2Sign, rsa2Verify, signedJsonOf, signingString } from "./rsa2.ts"
