// The orders journey (O1-O10, issue 18) at 1280×800; orders-phone.e2e.test.ts runs it at 375×812.
import { DESKTOP } from "../../../fixtures/e2e.ts"
import { ordersJourney } from "./ordersJourney.ts"

ordersJourney(DESKTOP)
