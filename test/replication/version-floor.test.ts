import { describe, expect, it } from 'vitest'
import { VersionFloor } from '../../src/replication/version-floor.js'
import { ManualClock } from '../../src/shared/clock.js'
import { silentLogger } from '../../src/shared/logger.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { rec } from '../helpers/records.js'

const v = (hlc: number, node = 1) => ({ hlc, node })

function setup(init: { maxTtlMs?: number; maxEntries?: number } = {}) {
  const clock = new ManualClock()
  const store = new MemoryStore({ clock, logger: silentLogger })
  const floor = new VersionFloor({ store, clock }, { maxTtlMs: init.maxTtlMs ?? 1_000, maxEntries: init.maxEntries })
  floor.start()
  return { clock, store, floor }
}

describe('VersionFloor', () => {
  it('refuses versions older than the newest remembered, until the protection lapses', () => {
    const { floor } = setup()
    floor.remember('k', v(10), 0)
    expect(floor.supersedes('k', v(9), 500)).toBe(true)
    expect(floor.supersedes('k', v(10), 500)).toBe(false)
    expect(floor.supersedes('k', v(11), 500)).toBe(false)
    expect(floor.supersedes('k', v(9), 1_000)).toBe(false)
    expect(floor.size).toBe(0)
  })

  it('keeps the newest version when an older one is remembered later', () => {
    const { floor } = setup()
    floor.remember('k', v(10), 0)
    floor.remember('k', v(5), 10)
    expect(floor.supersedes('k', v(9), 20)).toBe(true)
    expect(floor.size).toBe(1)
  })

  it('forgets the oldest entries first past the cap, and stays within it', () => {
    const { floor } = setup({ maxTtlMs: 60_000, maxEntries: 100 })
    for (let i = 0; i < 1_000; i++) floor.remember(`k${i % 300}`, v(i + 1), i)
    expect(floor.size).toBeLessThanOrEqual(100)
    expect(floor.supersedes('k99', v(1), 1_000)).toBe(true)
    expect(floor.supersedes('k150', v(0), 1_000)).toBe(false)
  })

  it('prune drops lapsed entries, oldest first, and keeps the rest', () => {
    const { floor } = setup({ maxTtlMs: 100 })
    for (let i = 0; i < 10; i++) floor.remember(`k${i}`, v(1), i * 10)
    floor.prune(150)
    expect(floor.size).toBe(4)
    expect(floor.supersedes('k9', v(0), 150)).toBe(true)
    floor.prune(1_000)
    expect(floor.size).toBe(0)
  })

  it('keeps nothing for keys the store holds; remembers a record once it expires or is handed off', () => {
    const { clock, store, floor } = setup({ maxTtlMs: 60_000 })
    const t = clock.now()
    for (let i = 0; i < 100; i++) expect(store.put(rec(`k${i}`, t + 1_000, 'v', v(5)))).toBe('stored')
    expect(floor.size).toBe(0)
    expect(store.delete('k0')).toBe(true)
    expect(floor.supersedes('k0', v(4), clock.now())).toBe(true)
    clock.advance(2_000)
    store.sweep()
    expect(store.size).toBe(0)
    expect(floor.size).toBe(100)
    // The older, longer-lived copy a stale replica or a handoff replays is refused; a newer write is not.
    expect(floor.supersedes('k7', v(4), clock.now())).toBe(true)
    expect(floor.supersedes('k7', v(6), clock.now())).toBe(false)
  })

  it('forgets a remembered version once a newer one is stored (the store guards the key again), but not an older one', () => {
    const { floor } = setup({ maxTtlMs: 60_000 })
    floor.remember('a', v(5), 0)
    floor.remember('b', v(5), 0)
    floor.observe('a', v(6))
    floor.observe('b', v(4))
    expect(floor.size).toBe(1)
    expect(floor.supersedes('b', v(4), 1)).toBe(true)
  })

  it('stop() stops listening to the store', () => {
    const { clock, store, floor } = setup({ maxTtlMs: 60_000 })
    floor.stop()
    store.put(rec('k', clock.now() + 1_000, 'v', v(5)))
    clock.advance(2_000)
    store.sweep()
    expect(floor.size).toBe(0)
  })
})
