/**
 * Time is integer milliseconds since the Unix epoch, read through an injected clock so expiry can be
 * tested without sleeping. `ManualClock` is the test double.
 */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

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
