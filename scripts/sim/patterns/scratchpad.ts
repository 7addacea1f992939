/**
 * Scratchpad: each agent overwrites its own working state step after step through its home node,
 * and reads it back now and then from anywhere (a resumed workflow on another machine).
 */
import type { Pattern, WorkloadContext } from '../context.js'
import { scratchKey } from '../keys.js'

export const SCRATCH_TTL_S = 20
/** Agents with a scratchpad: a few per node, capped so each is overwritten often. */
export const MAX_SCRATCH_AGENTS = 64

interface Agent {
  home?: string
  step: number
}

export class ScratchpadPattern implements Pattern {
  readonly name = 'scratch'
  private readonly ctx: WorkloadContext
  private readonly agents: Agent[]

  constructor(ctx: WorkloadContext, init: { agents: number }) {
    this.ctx = ctx
    this.agents = Array.from({ length: Math.max(1, Math.min(MAX_SCRATCH_AGENTS, init.agents)) }, () => ({ step: 0 }))
  }

  async step(): Promise<void> {
    const { ctx } = this
    const i = ctx.rng.int(this.agents.length)
    const agent = this.agents[i]
    const key = scratchKey(ctx.runId, i)
    if (agent.step === 0 || ctx.rng.chance(0.6)) {
      const node = ctx.home(agent.home)
      if (!node) return
      agent.home = node.name
      agent.step++
      await ctx.put(this.name, node, key, `reasoning-step-${agent.step}`, SCRATCH_TTL_S, ctx.rng.range(64, 1024))
      return
    }
    const node = ctx.pick()
    if (node) await ctx.get(this.name, node, key)
  }
}
