/**
 * Time is integer milliseconds since the Unix epoch, read through an injected clock so expiry can be
 * tested without sleeping. `ManualClock` is the test double.
 *
 * The system clock is a steady one: the monotonic clock, anchored at the wall time at start, that
 * also takes a forward jump of the wall clock (of more than RESYNC_MS) and never goes backwards.
 * Expiry is judged on it, and lifetimes travel between nodes as durations, so:
 * - a wall clock stepped back (an NTP correction, an operator) does not make a record live longer:
 *   the monotonic clock keeps counting;
 * - a machine suspended (the monotonic clock stops, the wall clock does not) does not either: the wall
 *   clock's jump is taken;
 * - a wall clock stepped forward makes records expire early here (never late).
 * The reading may therefore run ahead of the wall clock after a backward step; versions (the HLC)
 * stay monotone either way. (Taking the larger of the two clocks' steps at every reading would not do:
 * their jitter adds up, and the clock runs fast.)
 */
export interface Clock {
  now(): number
}

/** A wall clock ahead of the monotonic reading by more than this is followed (a suspend, a forward step). */
export const RESYNC_MS = 100

export class SteadyClock implements Clock {
  private offset: number
  private last = Number.NEGATIVE_INFINITY

  constructor(
    private readonly wall: () => number = Date.now,
    private readonly mono: () => number = () => performance.now(),
  ) {
    this.offset = wall() - mono()
  }

  now(): number {
    const m = this.mono()
    const w = this.wall()
    if (w > m + this.offset + RESYNC_MS) this.offset = w - m
    const t = Math.floor(m + this.offset)
    if (t > this.last) this.last = t
    return this.last
  }
}

export const systemClock: Clock = new SteadyClock()

export class ManualClock implements Clock {
  private t: number
  constructor(startMs = 1_800_000_000_000) {
    this.t = startMs
  }
  now(): number {
    return this.t
  }
  set(ms: number): void {
    this.t = ms
  }
  advance(ms: number): void {
    this.t += ms
  }
}
