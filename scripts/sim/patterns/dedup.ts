/**
 * Distributed deduplication: before handling an event, check its key; present → already handled
 * (skip); absent → handle it and write the key, whose TTL is the dedup window. Events are drawn with
 * repeats from a sliding window, so duplicates arrive at other nodes.
 */
import type { Pattern, WorkloadContext } from '../context.js'
import { dedupKey } from '../keys.js'

export const DEDUP_TTL_S = 10
/** Recent event ids duplicates are drawn from. */
export const EVENT_WINDOW = 200

export class DedupPattern implements Pattern {
  readonly name = 'dedup'
  private readonly ctx: WorkloadContext
  private nextEvent = 0
  duplicates = 0
  handled = 0

  constructor(ctx: WorkloadContext) {
    this.ctx = ctx
  }

  async step(): Promise<void> {
    const { ctx } = this
    const fresh = this.nextEvent === 0 || ctx.rng.chance(0.5)
    const id = fresh ? this.nextEvent++ : Math.max(0, this.nextEvent - 1 - ctx.rng.int(Math.min(EVENT_WINDOW, this.nextEvent)))
    const key = dedupKey(ctx.runId, id)
    const node = ctx.pick()
    if (!node) return
    const r = await ctx.get(this.name, node, key)
    if (r.answer.status === 200) {
      this.duplicates++
      return
    }
    if (r.answer.status !== 404 || ctx.isStopping) return
    this.handled++
    await ctx.put(this.name, node, key, 'handled', DEDUP_TTL_S)
  }
}
