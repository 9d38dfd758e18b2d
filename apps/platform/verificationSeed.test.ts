import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { EnterpriseRepository } from "../../core/ports/EnterpriseRepository.ts"
import { UserRepository } from "../../core/ports/UserRepository.ts"
import { EnterpriseVerificationRepository, PersonalVerificationRepository } from "../../core/ports/VerificationRepository.ts"
import { bootForTest } from "../../fixtures/boot.ts"
import { seedDemo } from "./seed.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() }, 30_000)
afterAll(() => app.close())

describe("dev profile verification demo data", () => {
  it("张三 is verified and admin of an approved enterprise; one application waits for review; seeding again adds nothing", async () => {
    const state = Effect.gen(function*() {
      const zhang = Option.getOrThrow(yield* UserRepository.use((r) => r.findByMobile("13800000001")))
      const wang = Option.getOrThrow(yield* UserRepository.use((r) => r.findByMobile("13800000003")))
      return {
        zhangVerified: Option.isSome(yield* PersonalVerificationRepository.use((r) => r.find(zhang.id))),
        zhangAdmin: (yield* EnterpriseRepository.use((r) => r.listAdministeredBy(zhang.id))).map((e) => e.name),
        queue: (yield* EnterpriseVerificationRepository.use((r) => r.listByStatus("in-review", 10))).map((a) => [a.applicantId === wang.id, a.info?.name]),
      }
    })
    const first = await app.run(state)
    expect(first).toEqual({ zhangVerified: true, zhangAdmin: ["北京示例科技有限公司"], queue: [[true, "上海示例贸易有限公司"]] })
    await app.run(seedDemo)
    expect(await app.run(state)).toEqual(first)
  })
})
