/**
 * Demo 自动签署 (issue 20, dev profile): 张三, admin of the demo enterprise,
 * authorizes its 合同专用章 for API auto-signing of contracts with the
 * supplier contact 吴演示 (one year, up to 100 contracts; seeded without an
 * SMS, as demo signatures are), an API key 演示 ERP（自动签署） is made for
 * it (its secret is neither kept nor printed), and one contract with 吴演示,
 * 年度采购框架协议, is signed for the enterprise through that authorization,
 * as `POST /api/v1/contracts/{id}/signatures:auto` would; 吴演示's turn is
 * next. Runs after the seals seed; once an authorization exists nothing is
 * added. The counterparty is no demo account, so the demo's people (李四,
 * 王五) and enterprises stay outside its scope and their lists unchanged.
 */
import { Clock, Effect, Option, Schema } from "effect"
import { Mobile } from "../../core/kernel/Mobile.ts"
import { createApiKey } from "../../core/api/apiKeys.ts"
import { autoSignContract } from "../../core/contracts/autoSignContract.ts"
import { SignField } from "../../core/contracts/Contract.ts"
import { createContract, sendContract } from "../../core/contracts/createContract.ts"
import { AutoSignRepository } from "../../core/ports/AutoSignRepository.ts"
import { authorizeAutoSign } from "../../core/seals/autoSign.ts"
import type { EnterpriseId } from "../../core/organizations/Enterprise.ts"
import { orgScope } from "../../core/organizations/orgScope.ts"
import { EnterpriseRepository } from "../../core/ports/EnterpriseRepository.ts"
import { SealRepository } from "../../core/ports/SealRepository.ts"
import { UserRepository } from "../../core/ports/UserRepository.ts"
import { demoContractPdf } from "./demoPdf.ts"

export const DEMO_AUTO_SIGN_CONTRACT = "年度采购框架协议"
export const DEMO_AUTO_SIGN_COUNTERPARTY = { name: "吴演示", mobile: "13800000010" } as const

export const seedAutoSign = Effect.gen(function*() {
  const users = yield* UserRepository
  const admin = yield* users.findByMobile("13800000001")
  if (Option.isNone(admin)) return
  const [enterprise] = yield* (yield* EnterpriseRepository).listAdministeredBy(admin.value.id)
  if (enterprise === undefined) return
  if ((yield* AutoSignRepository.use((r) => r.listOf(enterprise.id))).length > 0) return
  const seal = (yield* SealRepository.use((r) => r.seals(enterprise.id))).find((s) => s.type === "contract" && s.enabled)
  if (seal === undefined) return yield* Effect.logInfo("demo auto-signing not seeded: the demo enterprise has no contract seal yet")
  const now = yield* Clock.currentTimeMillis
  yield* authorizeAutoSign(yield* orgScope(admin.value.id, enterprise.id), {
    sealId: seal.id, scopeKind: "counterparties", scopeValues: [DEMO_AUTO_SIGN_COUNTERPARTY.name], validFrom: now, validUntil: now + 365 * 24 * 3600_000, maxCount: 100,
  }, { seed: true })
  const { key } = yield* createApiKey(admin.value, enterprise.id as EnterpriseId, "演示 ERP（自动签署）")
  const draft = yield* createContract(admin.value, {
    name: DEMO_AUTO_SIGN_CONTRACT, pdf: yield* Effect.promise(() => demoContractPdf("Annual Purchase Framework Agreement")),
    mode: "sequential", deadline: now + 7 * 24 * 3600_000,
    parties: [{ enterpriseName: enterprise.name, enterpriseId: enterprise.id }, { ...DEMO_AUTO_SIGN_COUNTERPARTY, mobile: Schema.decodeSync(Mobile)(DEMO_AUTO_SIGN_COUNTERPARTY.mobile) }],
    fields: [
      new SignField({ partyIndex: 0, page: 2, x: 60, y: 80, width: 150, height: 150, kind: "seal" }),
      new SignField({ partyIndex: 1, page: 2, x: 280, y: 80, width: 160, height: 60, kind: "signature" }),
    ],
  })
  const sent = yield* sendContract(admin.value, draft.id)
  yield* autoSignContract(enterprise.id, key.id, sent.id)
})
