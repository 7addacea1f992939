/**
 * Ephemeral broadcast: a publisher overwrites a known channel key (config, feature flags) through its
 * node; many readers poll it from every node. Read-heavy by design.
 */
import type { Pattern, WorkloadContext } from '../context.js'
import { broadcastKey } from '../keys.js'

/** Stop publishing and the broadcast rolls back by itself within this. */
export const BROADCAST_TTL_S = 15
export const CHANNELS = 3
/** Share of this pattern's steps that publish; the rest read. */
export const PUBLISH_SHARE = 0.1

export class BroadcastPattern implements Pattern {
  readonly name = 'broadcast'
  private readonly ctx: WorkloadContext
  private readonly publishers: (string | undefined)[] = Array.from({ length: CHANNELS }, () => undefined)
  private readonly version: number[] = Array.from({ length: CHANNELS }, () => 0)

  constructor(ctx: WorkloadContext) {
    this.ctx = ctx
  }

  async step(): Promise<void> {
    const { ctx } = this
    const c = ctx.rng.int(CHANNELS)
    const key = broadcastKey(ctx.runId, c)
    if (this.version[c] === 0 || ctx.rng.chance(PUBLISH_SHARE)) {
      const node = ctx.home(this.publishers[c])
      if (!node) return
      this.publishers[c] = node.name
      this.version[c]++
      await ctx.put(this.name, node, key, `flags-v${this.version[c]}`, BROADCAST_TTL_S, 128)
      return
    }
    const node = ctx.pick()
    if (node) await ctx.get(this.name, node, key)
  }
}
