/**
 * The open-loop rate driver: every tick it starts as many pattern steps as the target rate calls for,
 * each pattern drawn by weight, never more than `concurrency` in flight. When the mesh is slower than
 * the target, the backlog is dropped (counted in `skipped`) rather than bursting later, so the
 * achieved rate shows what the mesh sustains.
 */
import type { Pattern } from './context.js'
import type { PatternName } from './patterns/names.js'
import type { Rng } from './prng.js'

/** Scheduling granularity: fine enough for 1k ops/s, coarse enough to cost nothing. */
export const TICK_MS = 10

export interface DriverInit {
  ratePerS: number
  concurrency: number
  weights: Record<PatternName, number>
}

export class RateDriver {
  private readonly patterns: Map<string, Pattern>
  private readonly rng: Rng
  private readonly init: DriverInit
  private readonly now: () => number
  private readonly inFlightSet = new Set<Promise<void>>()
  private timer: NodeJS.Timeout | undefined
  private startedAt = 0
  private due = 0
  issued = 0
  skipped = 0
  /** Steps that threw (a bug in a pattern, not a node error: those are answers). */
  crashed = 0
  lastCrash: string | undefined

  constructor(components: { patterns: Pattern[]; rng: Rng; now?: () => number }, init: DriverInit) {
    this.patterns = new Map(components.patterns.map((p) => [p.name, p]))
    this.rng = components.rng
    this.now = components.now ?? Date.now
    this.init = init
  }

  get inFlight(): number {
    return this.inFlightSet.size
  }

  start(): void {
    if (this.timer) return
    this.startedAt = this.now()
    this.timer = setInterval(() => this.tick(), TICK_MS)
  }

  private tick(): void {
    const target = Math.floor(((this.now() - this.startedAt) / 1000) * this.init.ratePerS)
    const owed = target - this.due
    if (owed <= 0) return
    this.due = target
    const room = this.init.concurrency - this.inFlightSet.size
    const n = Math.min(owed, Math.max(0, room))
    this.skipped += owed - n
    const weights = Object.fromEntries(Object.entries(this.init.weights).filter(([k]) => this.patterns.has(k))) as Record<string, number>
    for (let i = 0; i < n; i++) {
      const p = this.patterns.get(this.rng.weighted(weights)) as Pattern
      this.issued++
      const run = p
        .step()
        .catch((err: unknown) => {
          this.crashed++
          this.lastCrash = err instanceof Error ? `${p.name}: ${err.stack ?? err.message}` : String(err)
        })
        .finally(() => this.inFlightSet.delete(run))
      this.inFlightSet.add(run)
    }
  }

  /** Stops starting steps and waits for those in flight (each call is bounded by its own timeout). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await Promise.allSettled([...this.inFlightSet])
  }
}
