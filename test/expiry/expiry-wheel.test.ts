import { describe, expect, it } from 'vitest'
import { ExpiryWheel } from '../../src/expiry/expiry-wheel.js'

function drainAll(wheel: ExpiryWheel, now: number, max = Number.POSITIVE_INFINITY): number[] {
  const out: number[] = []
  wheel.drain(now, max, out)
  return out
}

describe('ExpiryWheel', () => {
  it('drains ids once their bucket has passed, earliest bucket first', () => {
    const wheel = new ExpiryWheel({ granularityMs: 100 })
    wheel.schedule(3, 1_250)
    wheel.schedule(1, 1_050)
    wheel.schedule(2, 1_099)
    wheel.schedule(7, 5_000)
    expect(wheel.size).toBe(4)
    expect(wheel.nextDueAt()).toBe(1_100)
    expect(wheel.hasDue(1_099)).toBe(false)
    expect(drainAll(wheel, 1_099)).toEqual([])
    expect(drainAll(wheel, 1_100).sort()).toEqual([1, 2])
    expect(drainAll(wheel, 1_300)).toEqual([3])
    expect(wheel.size).toBe(1)
    expect(wheel.isScheduled(3)).toBe(false)
    expect(wheel.expiryOf(3)).toBe(1_250)
    expect(drainAll(wheel, 10_000)).toEqual([7])
    expect(wheel.size).toBe(0)
    expect(wheel.nextDueAt()).toBeUndefined()
  })

  it('rescheduling moves an id out of its old bucket; cancel removes it', () => {
    const wheel = new ExpiryWheel({ granularityMs: 10 })
    for (let id = 0; id < 5; id++) wheel.schedule(id, 100)
    wheel.schedule(2, 500)
    wheel.schedule(0, 500)
    expect(wheel.cancel(4)).toBe(true)
    expect(wheel.cancel(4)).toBe(false)
    expect(drainAll(wheel, 200).sort()).toEqual([1, 3])
    expect(drainAll(wheel, 510).sort()).toEqual([0, 2])
    expect(wheel.size).toBe(0)
  })

  it('respects max and resumes where it stopped', () => {
    const wheel = new ExpiryWheel({ granularityMs: 10 })
    for (let id = 0; id < 1000; id++) wheel.schedule(id, id % 50)
    const seen = new Set<number>()
    for (let round = 0; round < 100; round++) {
      const out: number[] = []
      const n = wheel.drain(1_000, 64, out)
      expect(n).toBe(out.length)
      expect(n).toBeLessThanOrEqual(64)
      for (const id of out) seen.add(id)
      if (n < 64) break
    }
    expect(seen.size).toBe(1000)
    expect(wheel.size).toBe(0)
  })

  it('work is proportional to what expires: far-future ids are not touched', () => {
    const wheel = new ExpiryWheel({ granularityMs: 50 })
    for (let id = 0; id < 100_000; id++) wheel.schedule(id, 1_000_000 + id)
    wheel.schedule(100_000, 10)
    expect(drainAll(wheel, 100)).toEqual([100_000])
    expect(wheel.size).toBe(100_000)
  })

  it('drainCurrent takes the due ids of the current bucket only', () => {
    const wheel = new ExpiryWheel({ granularityMs: 100 })
    wheel.schedule(1, 1_010)
    wheel.schedule(2, 1_020)
    wheel.schedule(3, 1_090)
    const out: number[] = []
    expect(wheel.drainCurrent(1_020, out)).toBe(2)
    expect(out.sort()).toEqual([1, 2])
    expect(wheel.isScheduled(3)).toBe(true)
    expect(drainAll(wheel, 1_100)).toEqual([3])
  })

  it('a cancelled bucket being refilled is not duplicated', () => {
    const wheel = new ExpiryWheel({ granularityMs: 100 })
    wheel.schedule(1, 150)
    wheel.cancel(1)
    wheel.schedule(2, 160)
    wheel.schedule(3, 50)
    expect(drainAll(wheel, 1_000)).toEqual([3, 2])
    expect(wheel.hasDue(1_000_000)).toBe(false)
  })
})
