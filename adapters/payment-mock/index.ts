export {
  type Deliver, layerMock, makeMockProvider, MockCheckout, signingString, type MockProvider, type MockProviderOptions, type MockTrade, type MockTradeStore, type MockRefund, memoryTradeStore, type SentNotification,
} from "./provider.ts"
export { BANKS, mockCheckoutApp } from "./checkout.tsx"
