/**
 * Coordination token: an agent checks a pipeline stage's lock; absent → it takes the lock by writing
 * its token with a short TTL (presence = in progress, expiry = available). Plain PUT is not a
 * compare-and-set, so two agents may both take it: the pattern measures that contention; the
 * invariants still hold for whatever each read returns.
 */
import type { Pattern, WorkloadContext } from '../context.js'
import { lockKey } from '../keys.js'

export const LOCK_TTL_S = 5
export const PIPELINES = 4
export const STAGES = 3

export class LockPattern implements Pattern {
  readonly name = 'lock'
  private readonly ctx: WorkloadContext
  taken = 0
  busy = 0

  constructor(ctx: WorkloadContext) {
    this.ctx = ctx
  }

  async step(): Promise<void> {
    const { ctx } = this
    const key = lockKey(ctx.runId, ctx.rng.int(PIPELINES), ctx.rng.int(STAGES))
    const node = ctx.pick()
    if (!node) return
    const r = await ctx.get(this.name, node, key)
    if (r.answer.status === 200) {
      this.busy++
      return
    }
    if (r.answer.status !== 404 || ctx.isStopping) return
    const w = await ctx.put(this.name, node, key, `token-${ctx.rng.hex(8)}`, LOCK_TTL_S)
    if (w.status === 201) this.taken++
  }
}
