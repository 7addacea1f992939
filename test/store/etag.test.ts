import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { etagToVersion, type Version, versionToEtag } from '../../src/shared/version.js'

/** The plain formulation the table-driven versionToEtag must match, character for character. */
const reference = (v: Version): string => `"${v.hlc.toString(16)}-${v.node.toString(16).padStart(8, '0')}"`

const version = fc.record({
  hlc: fc.oneof(
    fc.integer({ min: 0, max: 2 ** 32 + 16 }),
    fc.maxSafeInteger().filter((n) => n >= 0),
    fc.constantFrom(0, 1, 15, 16, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1),
  ),
  node: fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1, 0xf, 0x10, 0xffffffff)),
})

describe('versionToEtag', () => {
  it('is the hlc in shortest hex and the node in 8 hex digits, quoted', () => {
    expect(versionToEtag({ hlc: 0, node: 0 })).toBe('"0-00000000"')
    expect(versionToEtag({ hlc: 0x1f, node: 0xab })).toBe('"1f-000000ab"')
    expect(versionToEtag({ hlc: 2 ** 32, node: 0xffffffff })).toBe('"100000000-ffffffff"')
    expect(versionToEtag({ hlc: 2 ** 53 - 1, node: 1 })).toBe('"1fffffffffffff-00000001"')
  })

  it('matches the toString(16) formulation for every HLC reading and node', () => {
    fc.assert(
      fc.property(version, (v) => {
        expect(versionToEtag(v)).toBe(reference(v))
        expect(etagToVersion(versionToEtag(v))).toEqual(v)
      }),
      { numRuns: 5_000 },
    )
  })
})
