import { describe, expect, it } from 'vitest'
import { VersionFloor } from '../../src/replication/version-floor.js'

const v = (hlc: number, node = 1) => ({ hlc, node })

describe('VersionFloor', () => {
  it('refuses versions older than the newest seen, until the protection lapses', () => {
    const f = new VersionFloor({ maxTtlMs: 1_000 })
    f.observe('k', v(10), 0)
    expect(f.supersedes('k', v(9), 500)).toBe(true)
    expect(f.supersedes('k', v(10), 500)).toBe(false)
    expect(f.supersedes('k', v(11), 500)).toBe(false)
    expect(f.supersedes('k', v(9), 1_000)).toBe(false)
    expect(f.size).toBe(0)
  })

  it('keeps the newest version when an older one is observed later', () => {
    const f = new VersionFloor({ maxTtlMs: 1_000 })
    f.observe('k', v(10), 0)
    f.observe('k', v(5), 10)
    expect(f.supersedes('k', v(9), 20)).toBe(true)
  })

  it('forgets the oldest entries first past the cap, and stays within it', () => {
    const f = new VersionFloor({ maxTtlMs: 60_000, maxEntries: 100 })
    for (let i = 0; i < 1_000; i++) f.observe(`k${i}`, v(i + 1), i)
    expect(f.size).toBeLessThanOrEqual(100)
    expect(f.supersedes('k999', v(1), 1_000)).toBe(true)
    expect(f.supersedes('k0', v(0), 1_000)).toBe(false)
  })

  it('prune drops lapsed entries', () => {
    const f = new VersionFloor({ maxTtlMs: 100 })
    for (let i = 0; i < 10; i++) f.observe(`k${i}`, v(1), 0)
    f.prune(100)
    expect(f.size).toBe(0)
  })
})
