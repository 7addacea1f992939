/**
 * Time is integer milliseconds since the Unix epoch, read through an injected clock so expiry can be
 * tested without sleeping. `ManualClock` is the test double.
 *
 * The system clock is a steady one: it starts at the wall time and then advances by the larger of
 * what the wall clock and the monotonic clock say has elapsed since the last reading, never by less
 * than zero. Expiry is judged on it, and lifetimes travel between nodes as durations, so:
 * - a wall clock stepped back (an NTP correction, an operator) does not make a record live longer:
 *   the monotonic clock keeps counting;
 * - a machine suspended (the monotonic clock stops, the wall clock does not) does not either: the wall
 *   clock's jump is taken;
 * - a wall clock stepped forward makes records expire early here (never late).
 * The reading may therefore run ahead of the wall clock after a backward step; versions (the HLC)
 * stay monotone either way.
 */
export interface Clock {
  now(): number
}

export class SteadyClock implements Clock {
  private lastWall: number
  private lastMono: number
  private t: number

  constructor(
    private readonly wall: () => number = Date.now,
    private readonly mono: () => number = () => performance.now(),
  ) {
    this.lastWall = wall()
    this.lastMono = mono()
    this.t = this.lastWall
  }

  now(): number {
    const w = this.wall()
    const m = this.mono()
    const elapsed = Math.max(w - this.lastWall, m - this.lastMono, 0)
    this.lastWall = w
    this.lastMono = m
    this.t += elapsed
    return Math.floor(this.t)
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
