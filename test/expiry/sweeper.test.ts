import { afterEach, describe, expect, it, vi } from 'vitest'
import { Sweeper } from '../../src/expiry/sweeper.js'

describe('Sweeper', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('runs a slice every interval and continues on setImmediate while more is due', () => {
    vi.useFakeTimers()
    let backlog = 3
    const deadlines: number[] = []
    const sweeper = new Sweeper(
      {
        sweepSlice: (deadline) => {
          deadlines.push(deadline)
          if (backlog > 0) backlog--
          return backlog > 0
        },
      },
      { intervalMs: 100, sliceMs: 5 },
    )
    sweeper.start()
    sweeper.start()
    expect(sweeper.running).toBe(true)
    vi.advanceTimersByTime(99)
    expect(deadlines.length).toBe(0)
    vi.advanceTimersByTime(1)
    expect(deadlines.length).toBe(1)
    // The two remaining slices run right away, not an interval later each.
    vi.runOnlyPendingTimers()
    vi.advanceTimersByTime(0)
    expect(backlog).toBe(0)
    const before = deadlines.length
    vi.advanceTimersByTime(100)
    expect(deadlines.length).toBe(before + 1)
    sweeper.stop()
    sweeper.stop()
    expect(sweeper.running).toBe(false)
    vi.advanceTimersByTime(1_000)
    expect(deadlines.length).toBe(before + 1)
  })

  it('rejects a non-positive interval', () => {
    expect(() => new Sweeper({ sweepSlice: () => false }, { intervalMs: 0 })).toThrow(RangeError)
  })
})
