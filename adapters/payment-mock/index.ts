export { makeMockProvider, signingString, type MockProvider, type MockProviderOptions, type MockTrade } from "./provider.ts"
export { BANKS, mockCheckoutApp } from "./checkout.tsx"
