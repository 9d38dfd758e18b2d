/**
 * One worker of the pool: runs tasks of `core/untrusted/tasks.ts` with the
 * node:crypto adapters, one at a time, and answers with plain data. A defect
 * (a stack overflow in a parser, say) is answered as `tooComplex`; running
 * out of heap ends the worker and the pool answers for it.
 */
import { Effect, Exit, Layer } from "effect"
import { runTaskHere, type TaskName } from "../../core/untrusted/tasks.ts"
import { layer as layerCrypto } from "../crypto-node/index.ts"
import { webCryptoLayer } from "../keys-software/index.ts"
import { serveTasks } from "./serve.ts"

const services = Layer.mergeAll(layerCrypto, webCryptoLayer)

serveTasks(async (task, input) => {
  const exit = await Effect.runPromiseExit(runTaskHere(task as TaskName, input as never).pipe(Effect.provide(services)))
  return Exit.isSuccess(exit) ? { ok: true, value: exit.value } : { ok: false }
})
