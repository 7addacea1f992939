import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isoTime } from '../../src/gateway/iso-time.js'

/** The whole range Date accepts, in ms. */
const MAX_DATE_MS = 8.64e15
const DAY_MS = 86_400_000

describe('isoTime', () => {
  it('formats as Date#toISOString', () => {
    expect(isoTime(0)).toBe('1970-01-01T00:00:00.000Z')
    expect(isoTime(1_800_000_000_123)).toBe('2027-01-15T08:00:00.123Z')
    expect(isoTime(-1)).toBe('1969-12-31T23:59:59.999Z')
    expect(isoTime(MAX_DATE_MS)).toBe(new Date(MAX_DATE_MS).toISOString())
    expect(isoTime(-MAX_DATE_MS)).toBe(new Date(-MAX_DATE_MS).toISOString())
  })

  it('matches toISOString for any instant, in any order (its one-day cache follows the input)', () => {
    const instant = fc.oneof(
      fc.integer({ min: -MAX_DATE_MS, max: MAX_DATE_MS }),
      // Around now, and right at day edges, where the cached prefix must change.
      fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
      fc.tuple(fc.integer({ min: 0, max: 30_000 }), fc.constantFrom(-1, 0, 1, DAY_MS - 1)).map(([d, off]) => d * DAY_MS + off),
    )
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 20 }), (times) => {
        for (const t of times) expect(isoTime(t)).toBe(new Date(t).toISOString())
      }),
      { numRuns: 2_000 },
    )
  })

  it('treats fractions as Date does and refuses what Date refuses', () => {
    expect(isoTime(1_500.7)).toBe(new Date(1_500.7).toISOString())
    expect(() => isoTime(Number.NaN)).toThrow(RangeError)
    expect(() => isoTime(MAX_DATE_MS + 1)).toThrow(RangeError)
    expect(() => isoTime(Number.POSITIVE_INFINITY)).toThrow(RangeError)
  })
})
