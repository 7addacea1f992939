/**
 * Heartbeat / presence: each worker rewrites `heartbeat:…:worker-N` with a short TTL on a fixed
 * interval through its home node; consumers (circuit breakers) read workers' keys from anywhere. Some
 * workers stop on purpose mid-run; for each, once its last write's expires_at + tolerance has passed,
 * the key must be gone from reads and from the listing: the TTL is the failure detector.
 */
import type { Pattern, WorkloadContext } from '../context.js'
import { heartbeatKey } from '../keys.js'

export const HEARTBEAT_TTL_S = 3
/** A third of the TTL: two refreshes may be late before the key lapses. */
export const HEARTBEAT_REFRESH_MS = 1_000
export const MIN_WORKERS = 4
export const MAX_WORKERS = 32
/** Share of workers that stop deliberately, at a seeded instant in [STOP_FROM, STOP_TO] of the run. */
export const STOPPING_SHARE = 0.25
export const STOP_FROM = 0.15
export const STOP_TO = 0.6
/** Nodes tried for one absence check when the node asked goes down meanwhile. */
const CHECK_ATTEMPTS = 3

interface Worker {
  id: number
  key: string
  home?: string
  /** ms since the workload start at which it stops writing; undefined = never (until the end). */
  stopAtMs?: number
  stopped: boolean
  writing?: Promise<unknown>
  timer?: NodeJS.Timeout
}

export interface HeartbeatInit {
  workers: number
  durationMs: number
  expiryToleranceMs: number
}

export class HeartbeatPattern implements Pattern {
  readonly name = 'heartbeat'
  private readonly ctx: WorkloadContext
  private readonly workers: Worker[]
  private readonly tol: number
  private readonly checks = new Set<Promise<void>>()
  private readonly checkTimers = new Set<NodeJS.Timeout>()
  private running = false
  /** Absence checks done and how long after the expiry deadline each key was confirmed gone. */
  readonly absence: { worker: number; deadlineMs: number; gone: boolean; listed: boolean | undefined }[] = []

  constructor(ctx: WorkloadContext, init: HeartbeatInit) {
    this.ctx = ctx
    this.tol = init.expiryToleranceMs
    const n = Math.max(MIN_WORKERS, Math.min(MAX_WORKERS, init.workers))
    const stopping = Math.max(1, Math.round(n * STOPPING_SHARE))
    this.workers = Array.from({ length: n }, (_, id) => ({
      id,
      key: heartbeatKey(ctx.runId, id),
      stopped: false,
      stopAtMs: id < stopping ? Math.round(init.durationMs * (STOP_FROM + ctx.rng.next() * (STOP_TO - STOP_FROM))) : undefined,
    }))
  }

  start(): void {
    this.running = true
    for (const w of this.workers) this.beat(w)
  }

  private beat(w: Worker): void {
    if (!this.running || w.stopped) return
    const { ctx } = this
    if (w.stopAtMs !== undefined && ctx.now() - ctx.origin >= w.stopAtMs) {
      w.stopped = true
      this.scheduleAbsenceCheck(w)
      return
    }
    const node = ctx.home(w.home)
    if (!node) {
      w.timer = setTimeout(() => this.beat(w), HEARTBEAT_REFRESH_MS)
      return
    }
    w.home = node.name
    const started = ctx.now()
    w.writing = ctx.put(this.name, node, w.key, `alive-${w.id}`, HEARTBEAT_TTL_S).finally(() => {
      w.writing = undefined
      if (!this.running) return
      w.timer = setTimeout(() => this.beat(w), Math.max(0, HEARTBEAT_REFRESH_MS - (ctx.now() - started)))
    })
  }

  private scheduleAbsenceCheck(w: Worker): void {
    const { ctx } = this
    // Every write of this worker has been answered (beat runs after the previous one settled).
    const deadline = ctx.ledger.lastPossibleExpiry(w.key, ctx.now()) + this.tol
    const timer = setTimeout(
      () => {
        this.checkTimers.delete(timer)
        const p = this.checkAbsent(w, deadline).finally(() => this.checks.delete(p))
        this.checks.add(p)
      },
      Math.max(0, deadline - ctx.now()),
    )
    this.checkTimers.add(timer)
  }

  private async checkAbsent(w: Worker, deadline: number): Promise<void> {
    const { ctx } = this
    for (let attempt = 0; attempt < CHECK_ATTEMPTS; attempt++) {
      const node = ctx.pick()
      if (!node) return
      const started = ctx.now()
      const answer = await node.client.get(w.key)
      const listing = await node.client.list(w.key)
      const ended = ctx.now()
      if (!ctx.pool.liveThroughout(node.name, started, ended)) continue
      if (answer.status !== 200 && answer.status !== 404) continue
      const listed = listing.status === 200 ? (listing.keys ?? []).includes(w.key) : undefined
      const base = { worker: w.id, node: node.name, deadlineMs: deadline - ctx.origin, checkStartMs: started - ctx.origin, checkEndMs: ended - ctx.origin }
      this.absence.push({ worker: w.id, deadlineMs: deadline - ctx.origin, gone: answer.status === 404, listed })
      if (answer.status === 200)
        ctx.violations.add({ kind: 'heartbeat_alive', atMs: ended - ctx.origin, key: w.key, node: node.name, detail: { ...base, etag: answer.etag } })
      if (listed === true) ctx.violations.add({ kind: 'heartbeat_listed', atMs: ended - ctx.origin, key: w.key, node: node.name, detail: base })
      return
    }
  }

  /** A consumer checks whether some worker is alive (reads its heartbeat from any node). */
  async step(): Promise<void> {
    const { ctx } = this
    const w = ctx.rng.pick(this.workers)
    const node = ctx.pick()
    if (node) await ctx.get(this.name, node, w.key)
  }

  /** Stops the refresh loops, then waits for the absence checks already due (they end within a TTL). */
  async stop(): Promise<void> {
    this.running = false
    for (const w of this.workers) if (w.timer) clearTimeout(w.timer)
    await Promise.allSettled(this.workers.map((w) => w.writing))
    // Checks scheduled for stopped workers are owed: let the timers fire, then await the checks.
    while (this.checkTimers.size > 0 || this.checks.size > 0) {
      if (this.checks.size > 0) await Promise.allSettled([...this.checks])
      else await new Promise((r) => setTimeout(r, 50))
    }
  }

  get stoppedWorkers(): number {
    return this.workers.filter((w) => w.stopped).length
  }

  get workerCount(): number {
    return this.workers.length
  }
}
