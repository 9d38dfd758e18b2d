export { buildRequest, layer, makeHttpTsa, tokenFromResponse } from "./httpClient.ts"
export { respond, type TsaResponderOptions } from "./responder.ts"
export { startTsaServer, type RunningTsa } from "./server.ts"
