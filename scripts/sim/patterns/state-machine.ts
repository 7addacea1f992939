/**
 * Job state machine: a job key moves queued → in_progress → complete by overwrites, each transition
 * made by whichever worker (node) picks the job up; pollers read jobs from anywhere. A poller must
 * never see an earlier state after a later one was acknowledged (the stale-version invariant).
 */
import type { Pattern, WorkloadContext } from '../context.js'
import { stateKey } from '../keys.js'

/** The "staleness guarantee": a job not advanced within it is known dead. */
export const STATE_TTL_S = 30
export const STATES = ['queued', 'in_progress', 'complete'] as const
/** Jobs being advanced or polled, at most (the oldest completed drop out). */
export const MAX_JOBS = 200

interface Job {
  key: string
  state: number
  busy: boolean
}

export class StateMachinePattern implements Pattern {
  readonly name = 'state'
  private readonly ctx: WorkloadContext
  private readonly jobs: Job[] = []
  completed = 0

  constructor(ctx: WorkloadContext) {
    this.ctx = ctx
  }

  async step(): Promise<void> {
    const { ctx } = this
    const open = this.jobs.filter((j) => !j.busy && j.state < STATES.length - 1)
    const roll = ctx.rng.next()
    if (roll < 0.25 || (open.length === 0 && roll < 0.7)) {
      const node = ctx.pick()
      if (!node) return
      const job: Job = { key: stateKey(ctx.runId, ctx.rng.hex(6)), state: 0, busy: true }
      this.jobs.push(job)
      const idle = this.jobs.findIndex((j) => !j.busy)
      if (this.jobs.length > MAX_JOBS && idle >= 0) this.jobs.splice(idle, 1)
      await ctx.put(this.name, node, job.key, STATES[0], STATE_TTL_S)
      job.busy = false
      return
    }
    if (roll < 0.7 && open.length > 0) {
      const job = ctx.rng.pick(open)
      const node = ctx.pick()
      if (!node) return
      job.busy = true
      const r = await ctx.put(this.name, node, job.key, STATES[job.state + 1], STATE_TTL_S)
      if (r.status === 201 || r.status === 202) {
        job.state++
        if (job.state === STATES.length - 1) this.completed++
      }
      job.busy = false
      return
    }
    if (this.jobs.length === 0) return
    const job = ctx.rng.pick(this.jobs)
    const node = ctx.pick()
    if (node) await ctx.get(this.name, node, job.key)
  }
}
