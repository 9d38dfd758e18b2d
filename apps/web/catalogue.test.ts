import { readFileSync } from "node:fs"
import { describe as group, expect, test } from "vitest"
import { NEW_CONTRACT_ISSUES, type NewContractIssue } from "../../core/contracts/NewContract.ts"
import { CATALOGUE_CODES, type Catalogue, type WebError } from "./catalogue.ts"
import { fieldMessage } from "./messages.ts"

// Type-level: the catalogue is a Record over the tags of WebError, so a tag without a wording (or a wording for no tag) does not compile.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const covered: Exact<keyof Catalogue<WebError>, WebError["_tag"]> = true

/** The tags a core errors file declares (`…TaggedError<X>()("Tag", …)` and `Data.TaggedError("Tag")`). */
const tagsIn = (file: string): ReadonlyArray<string> =>
  [...readFileSync(new URL(`../../${file}`, import.meta.url), "utf8").matchAll(/TaggedError(?:<\w+>\(\))?\("(\w+)"/g)].map((m) => m[1]!)

group("the web app's error catalogue", () => {
  test("is keyed by every tag of the error union it is typed over", () => {
    expect(covered).toBe(true)
    expect(new Set(CATALOGUE_CODES).size).toBe(CATALOGUE_CODES.length)
  })

  // The contexts whose user-facing sentences live here rather than in core (ARCHITECTURE.md, error catalogue).
  test.each([
    "core/contracts/ContractErrors.ts", "core/contracts/ExternalSignature.ts", "core/orders/OrderErrors.ts", "core/accounts/AccountErrors.ts",
    "core/otp/OtpErrors.ts", "core/organizations/OrganizationErrors.ts", "core/seals/sealsErrors.ts", "core/verification/VerificationErrors.ts",
  ])("words every error %s declares", (file) => {
    const tags = tagsIn(file)
    expect(tags.length).toBeGreaterThan(0)
    expect(tags.filter((t) => !(CATALOGUE_CODES as ReadonlyArray<string>).includes(t))).toEqual([])
  })

  test("words every code of the new-contract rules", () => {
    const codes: ReadonlyArray<NewContractIssue> = Object.values(NEW_CONTRACT_ISSUES).flat()
    const fallback = fieldMessage("no.such.code")
    expect(codes.filter((code) => fieldMessage(code) === fallback)).toEqual([])
  })
})
