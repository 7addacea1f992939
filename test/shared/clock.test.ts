/**
 * The steady system clock: never slower than either the wall or the monotonic clock, never backwards.
 */
import { describe, expect, it } from 'vitest'
import { SteadyClock } from '../../src/shared/clock.js'

function fake() {
  const t = { wall: 1_800_000_000_000, mono: 5_000.25 }
  const clock = new SteadyClock(
    () => t.wall,
    () => t.mono,
  )
  return { t, clock }
}

describe('SteadyClock', () => {
  it('starts at the wall time and follows both clocks while they agree', () => {
    const { t, clock } = fake()
    expect(clock.now()).toBe(1_800_000_000_000)
    t.wall += 1_000
    t.mono += 1_000
    expect(clock.now()).toBe(1_800_000_001_000)
  })

  it('keeps counting on the monotonic clock when the wall clock is stepped back', () => {
    const { t, clock } = fake()
    const start = clock.now()
    t.wall -= 30_000
    t.mono += 500
    expect(clock.now()).toBe(start + 500)
    t.wall += 100
    t.mono += 100
    expect(clock.now()).toBe(start + 600)
  })

  it('takes the wall clock jump when the monotonic clock stood still (a suspended machine)', () => {
    const { t, clock } = fake()
    const start = clock.now()
    t.wall += 3_600_000
    t.mono += 1
    expect(clock.now()).toBe(start + 3_600_000)
  })

  it('does not run fast when the two clocks jitter against each other', () => {
    const { t, clock } = fake()
    const start = clock.now()
    for (let i = 0; i < 10_000; i++) {
      // Real time advances 0.5 ms a step; the integer wall clock ticks every other step.
      t.mono += 0.5
      if (i % 2 === 1) t.wall += 1
      clock.now()
    }
    expect(clock.now() - start).toBeLessThanOrEqual(5_001)
    expect(clock.now() - start).toBeGreaterThanOrEqual(4_999)
  })

  it('never goes backwards, and returns whole milliseconds', () => {
    const { t, clock } = fake()
    let last = clock.now()
    for (let i = 0; i < 1_000; i++) {
      t.wall += (i % 7) - 3
      t.mono += 0.37
      const now = clock.now()
      expect(Number.isInteger(now)).toBe(true)
      expect(now).toBeGreaterThanOrEqual(last)
      last = now
    }
  })
})
