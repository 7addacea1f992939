/**
 * Dead drop: agent A leaves a payload under `handoff:sha256(task + A + B)` through one node; agent B,
 * computing the same key on its own, picks it up through another node. Every acknowledged drop is
 * owed to its reader.
 */
import type { Pattern, WorkloadContext } from '../context.js'
import { handoffKey } from '../keys.js'

/** Long enough for the reader to come by, short enough that drops expire within a run. */
export const HANDOFF_TTL_S = 30
/** Drops waiting for their reader, at most (oldest are abandoned beyond it). */
export const MAX_PENDING_DROPS = 1_000
export const AGENTS = 16

interface Drop {
  key: string
  writer: string
}

export class DeadDropPattern implements Pattern {
  readonly name = 'handoff'
  private readonly ctx: WorkloadContext
  private readonly pending: Drop[] = []
  private task = 0

  constructor(ctx: WorkloadContext) {
    this.ctx = ctx
  }

  async step(): Promise<void> {
    const { ctx } = this
    if (this.pending.length === 0 || ctx.rng.chance(0.5)) {
      const a = ctx.rng.int(AGENTS)
      const b = (a + 1 + ctx.rng.int(AGENTS - 1)) % AGENTS
      const key = handoffKey(ctx.runId, `task-${this.task++}`, `agent-${a}`, `agent-${b}`)
      const node = ctx.pick()
      if (!node) return
      const r = await ctx.put(this.name, node, key, `from agent-${a} to agent-${b}`, HANDOFF_TTL_S, ctx.rng.range(256, 4096))
      if (r.status === 201) {
        this.pending.push({ key, writer: node.name })
        if (this.pending.length > MAX_PENDING_DROPS) this.pending.shift()
      }
      return
    }
    const drop = this.pending.shift() as Drop
    const node = ctx.pick(drop.writer)
    if (node) await ctx.get(this.name, node, drop.key)
  }
}
