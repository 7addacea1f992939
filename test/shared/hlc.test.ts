/**
 * The version clock: readings never go backwards, move past what was observed from peers, and refuse
 * (and report) versions from beyond the skew tolerance.
 */
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/shared/clock.js'
import { HybridLogicalClock, SKEW_SUSPECT_HOLD_MS } from '../../src/shared/hlc.js'
import { compareVersions, HLC_COUNTER_BITS, HLC_EPOCH_MS, MAX_FUTURE_SKEW_MS, versionWallMs } from '../../src/shared/version.js'

const at = (wallMs: number, counter = 0): number => (wallMs - HLC_EPOCH_MS) * 2 ** HLC_COUNTER_BITS + counter

describe('HybridLogicalClock', () => {
  it('issues strictly increasing readings, also when the wall clock stands still or goes back', () => {
    const clock = new ManualClock()
    const hlc = new HybridLogicalClock({ clock })
    const a = hlc.tick()
    const b = hlc.tick()
    clock.advance(-5_000)
    const c = hlc.tick()
    expect(b).toBeGreaterThan(a)
    expect(c).toBeGreaterThan(b)
    expect(versionWallMs(a)).toBe(clock.now() + 5_000)
  })

  it('moves past an observed version within the tolerance, so the next write outranks it', () => {
    const clock = new ManualClock()
    const hlc = new HybridLogicalClock({ clock })
    const peer = { hlc: at(clock.now() + 30_000, 7), node: 1 }
    expect(hlc.observe(peer)).toBe(true)
    const mine = hlc.next(0)
    expect(compareVersions(mine, peer)).toBeGreaterThan(0)
    expect(hlc.skew().suspected).toBe(false)
  })

  it('refuses a version from beyond the tolerance, reports the skew once per period, and forgets it later', () => {
    const clock = new ManualClock()
    const hlc = new HybridLogicalClock({ clock })
    const reports: number[] = []
    hlc.onSkew = (ms) => reports.push(ms)
    const far = { hlc: at(clock.now() + MAX_FUTURE_SKEW_MS + 10_000), node: 1 }
    expect(hlc.observe(far)).toBe(false)
    expect(hlc.observe(far)).toBe(false)
    expect(compareVersions(hlc.next(0), far)).toBeLessThan(0)
    expect(reports).toEqual([MAX_FUTURE_SKEW_MS + 10_000])
    expect(hlc.skew()).toMatchObject({ suspected: true, refused: 2, toleranceMs: MAX_FUTURE_SKEW_MS })
    clock.advance(SKEW_SUSPECT_HOLD_MS + 1)
    expect(hlc.skew().suspected).toBe(false)
    // The clock caught up (ours was behind): the same version is now observable.
    expect(hlc.observe(far)).toBe(true)
  })

  it('treats an older version as already observed', () => {
    const clock = new ManualClock()
    const hlc = new HybridLogicalClock({ clock })
    const now = hlc.tick()
    expect(hlc.observe({ hlc: now - 100, node: 9 })).toBe(true)
    expect(hlc.tick()).toBe(now + 1)
  })
})
