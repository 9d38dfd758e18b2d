import { Clock, Effect, Option, Schema } from "effect"
import { addAddress } from "../../core/accounts/addressBook.ts"
import { createStaff } from "../../core/accounts/staff.ts"
import { AddressInput, User } from "../../core/accounts/User.ts"
import type { UserId } from "../../core/kernel/Ids.ts"
import { Mobile } from "../../core/kernel/Mobile.ts"
import { NewPassword } from "../../core/kernel/Password.ts"
import { IdGenerator } from "../../core/ports/IdGenerator.ts"
import { PasswordHasher } from "../../core/ports/PasswordHasher.ts"
import { StaffRepository, UserRepository } from "../../core/ports/UserRepository.ts"

/** Demo accounts of the dev profile, printed at start. Each capability adds its own demo data here. */
export const demoUsers = [
  {
    mobile: "13800000001", password: "Demo1234", name: "张三", email: "zhangsan@example.cn",
    addresses: [
      { recipient: "张三", mobile: "13800000001", region: "北京市 海淀区", detail: "中关村大街 27 号 8 层", isDefault: true },
      { recipient: "张三", mobile: "13800000001", region: "上海市 浦东新区", detail: "世纪大道 100 号 32 层", isDefault: false },
    ],
  },
  { mobile: "13800000002", password: "Demo1234", name: "李四", email: null, addresses: [] },
] as const

export const demoStaff = { username: "reviewer", password: "Review1234", name: "审核员王五" } as const

const seedUser = (d: (typeof demoUsers)[number]) =>
  Effect.gen(function*() {
    const users = yield* UserRepository
    const mobile = Schema.decodeSync(Mobile)(d.mobile)
    if (Option.isSome(yield* users.findByMobile(mobile))) return false
    const user = new User({
      id: (yield* (yield* IdGenerator).next) as string as UserId,
      mobile,
      passwordHash: yield* (yield* PasswordHasher).hash(Schema.decodeSync(NewPassword)(d.password)),
      name: d.name,
      email: d.email,
      createdAt: yield* Clock.currentTimeMillis,
    })
    yield* users.insert(user)
    for (const a of d.addresses) yield* addAddress(user.id, Schema.decodeSync(AddressInput)(a))
    return true
  })

/** Creates the demo data that is missing (idempotent: restarts keep what users changed). */
export const seedDemo = Effect.gen(function*() {
  for (const d of demoUsers) yield* seedUser(d)
  const staff = yield* (yield* StaffRepository).findByUsername(demoStaff.username)
  if (Option.isNone(staff)) {
    yield* createStaff({ ...demoStaff, password: Schema.decodeSync(NewPassword)(demoStaff.password) })
  }
})
