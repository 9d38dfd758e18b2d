export { layerHttpGateway, signRequest, type HttpGatewayConfig } from "./httpGateway.ts"
export { layerOutboxReader, layerOutboxSender, SmsOutbox, type OutboxMessage } from "./outbox.ts"
