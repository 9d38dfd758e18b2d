// The orders journey (O1-O10, issue 18) with the buyer on a phone, 375×812 (its own process: see ordersJourney.ts).
import { PHONE } from "../../../fixtures/e2e.ts"
import { ordersJourney } from "./ordersJourney.ts"

ordersJourney(PHONE)
