/**
 * Sweeper: drives an owner's `sweepSlice` on an interval, in bounded slices. A slice runs until its
 * deadline (real time, `performance.now()`) and says whether more work is due; if so the next slice runs
 * on `setImmediate`, right after pending I/O, not an interval later. So a huge batch of expiries never
 * holds the event loop for more than one slice, yet the backlog is worked off at full speed and the lag
 * between an expiry and its reclaim does not grow.
 */

/** How often the store looks for expired records: with 50 ms wheel buckets memory is reclaimed ≤ ~150 ms after expiry, and an idle tick costs one heap peek. */
export const SWEEP_INTERVAL_MS = 100
/** Longest a sweep holds the event loop before yielding: keeps request latency bounded during a mass expiry. */
export const SWEEP_SLICE_MS = 8

export interface SweeperComponents {
  /** Does expiry work until `deadline` (a `performance.now()` value); true when more is already due. */
  sweepSlice(deadline: number): boolean
}

export interface SweeperInit {
  intervalMs?: number
  sliceMs?: number
}

export class Sweeper {
  private readonly components: SweeperComponents
  private readonly intervalMs: number
  private readonly sliceMs: number
  private timer: NodeJS.Timeout | undefined
  private immediate: NodeJS.Immediate | undefined

  constructor(components: SweeperComponents, init: SweeperInit = {}) {
    this.components = components
    this.intervalMs = init.intervalMs ?? SWEEP_INTERVAL_MS
    this.sliceMs = init.sliceMs ?? SWEEP_SLICE_MS
    if (!(this.intervalMs > 0)) throw new RangeError('intervalMs must be > 0')
    if (!(this.sliceMs > 0)) throw new RangeError('sliceMs must be > 0')
  }

  get running(): boolean {
    return this.timer !== undefined
  }

  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => this.run(), this.intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    if (this.immediate) clearImmediate(this.immediate)
    this.timer = undefined
    this.immediate = undefined
  }

  private run(): void {
    if (this.immediate) return
    const more = this.components.sweepSlice(performance.now() + this.sliceMs)
    if (more && this.timer) {
      this.immediate = setImmediate(() => {
        this.immediate = undefined
        this.run()
      })
      this.immediate.unref()
    }
  }
}
