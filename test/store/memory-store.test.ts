import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/shared/clock.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import type { RecordMeta } from '../../src/store/record.js'
import { byteOrder, rec } from '../helpers/records.js'

const T0 = 1_800_000_000_000

function setup(init: { maxBytes?: number } = {}) {
  const clock = new ManualClock(T0)
  const store = new MemoryStore({ clock }, init)
  const expired: RecordMeta[] = []
  store.on('expired', (m) => expired.push(m))
  return { clock, store, expired }
}

describe('MemoryStore expiry', () => {
  it('serves a record until expiresAt - 1 and never at expiresAt, on every read path', () => {
    const { clock, store } = setup()
    const at = T0 + 10_000
    expect(store.put(rec('k', at, 'hello'))).toBe('stored')
    clock.set(at - 1)
    expect(Buffer.from(store.get('k')?.value ?? []).toString()).toBe('hello')
    expect(store.meta('k')?.expiresAt).toBe(at)
    expect(store.list({ limit: 10 }).keys).toEqual(['k'])
    expect([...store.metas()].map((m) => m.key)).toEqual(['k'])
    clock.set(at)
    expect(store.get('k')).toBeUndefined()
    expect(store.meta('k')).toBeUndefined()
    expect(store.list({ limit: 10 })).toEqual({ keys: [], more: false })
    expect([...store.metas()]).toEqual([])
  })

  it('refuses a record already expired', () => {
    const { store } = setup()
    expect(store.put(rec('k', T0))).toBe('expired')
    expect(store.put(rec('k', T0 - 5))).toBe('expired')
    expect(store.size).toBe(0)
  })

  it('sweep reclaims bytes and emits expired exactly once', () => {
    const { clock, store, expired } = setup()
    store.put(rec('a', T0 + 1_000, 'xxxx'))
    store.put(rec('b', T0 + 5_000, 'yy'))
    expect(store.bytes).toBe(6)
    clock.set(T0 + 2_000)
    expect(store.sweep()).toBe(1)
    expect(store.sweep()).toBe(0)
    expect(expired.map((m) => [m.key, m.size, m.expiresAt])).toEqual([['a', 4, T0 + 1_000]])
    expect(store.bytes).toBe(2)
    expect(store.size).toBe(1)
    clock.set(T0 + 60_000)
    store.sweep()
    store.sweep()
    expect(expired.map((m) => m.key)).toEqual(['a', 'b'])
    expect(store.bytes).toBe(0)
    expect(store.size).toBe(0)
  })

  it('an overwrite refreshes the TTL and is not expired by the old bucket', () => {
    const { clock, store, expired } = setup()
    store.put(rec('k', T0 + 1_000, 'old', { hlc: 1, node: 1 }))
    expect(store.put(rec('k', T0 + 100_000, 'newer', { hlc: 2, node: 1 }))).toBe('stored')
    clock.set(T0 + 50_000)
    expect(store.sweep()).toBe(0)
    expect(expired).toEqual([])
    expect(Buffer.from(store.get('k')?.value ?? []).toString()).toBe('newer')
    expect(store.bytes).toBe(5)
    clock.set(T0 + 100_000)
    expect(store.get('k')).toBeUndefined()
  })

  it('a put of a newer version over a held record past its instant replaces it and reports it expired', () => {
    const { clock, store, expired } = setup()
    store.put(rec('k', T0 + 1_000, 'old', { hlc: 5, node: 5 }))
    clock.set(T0 + 1_000)
    expect(store.put(rec('k', T0 + 9_000, 'new', { hlc: 6, node: 1 }))).toBe('stored')
    expect(expired.map((m) => m.key)).toEqual(['k'])
    expect(store.meta('k')?.version).toEqual({ hlc: 6, node: 1 })
    expect(store.size).toBe(1)
  })

  it('an older or equal version than a held record past its instant is stale until that record has left (no resurrection through the sweep gap)', () => {
    const { clock, store, expired } = setup()
    store.put(rec('k', T0 + 1_000, 'v5', { hlc: 5, node: 5 }))
    clock.set(T0 + 1_000)
    expect(store.put(rec('k', T0 + 9_000, 'v4', { hlc: 4, node: 9 }))).toBe('stale')
    expect(store.put(rec('k', T0 + 9_000, 'v5', { hlc: 5, node: 5 }))).toBe('stale')
    expect(store.get('k')).toBeUndefined()
    expect(expired).toEqual([])
    // Once reclaimed, the version is reported ('expired', which the mesh's version floor remembers).
    clock.set(T0 + 2_000)
    expect(store.sweep()).toBe(1)
    expect(expired.map((m) => m.version)).toEqual([{ hlc: 5, node: 5 }])
  })
})

describe('MemoryStore versions and capacity', () => {
  it('rejects an older or equal version as stale and keeps the held one', () => {
    const { store } = setup()
    store.put(rec('k', T0 + 1_000, 'v5', { hlc: 5, node: 7 }))
    expect(store.put(rec('k', T0 + 9_000, 'v4', { hlc: 4, node: 9 }))).toBe('stale')
    expect(store.put(rec('k', T0 + 9_000, 'eq', { hlc: 5, node: 7 }))).toBe('stale')
    expect(store.put(rec('k', T0 + 9_000, 'lo', { hlc: 5, node: 6 }))).toBe('stale')
    expect(store.get('k')?.expiresAt).toBe(T0 + 1_000)
    expect(store.put(rec('k', T0 + 9_000, 'hi', { hlc: 5, node: 8 }))).toBe('stored')
    expect(Buffer.from(store.get('k')?.value ?? []).toString()).toBe('hi')
    expect(store.meta('k')?.version).toEqual({ hlc: 5, node: 8 })
  })

  it('refuses with full beyond maxBytes, counting an overwrite as the difference', () => {
    const { clock, store } = setup({ maxBytes: 10 })
    expect(store.maxBytes).toBe(10)
    expect(store.put(rec('a', T0 + 1_000, '123456'))).toBe('stored')
    expect(store.put(rec('b', T0 + 1_000, '12345'))).toBe('full')
    expect(store.put(rec('b', T0 + 1_000, '1234'))).toBe('stored')
    expect(store.bytes).toBe(10)
    expect(store.put(rec('a', T0 + 1_000, '1234567', { hlc: 2, node: 1 }))).toBe('full')
    expect(store.put(rec('a', T0 + 1_000, '12', { hlc: 2, node: 1 }))).toBe('stored')
    expect(store.bytes).toBe(6)
    // Expired-but-unswept bytes are reclaimed before refusing.
    clock.set(T0 + 1_000)
    expect(store.put(rec('c', T0 + 9_000, '1234567890'))).toBe('stored')
    expect(store.bytes).toBe(10)
  })

  it('returns the exact bytes, including empty and large values', () => {
    const { store } = setup()
    const big = Buffer.alloc(100_000, 7)
    big[99_999] = 1
    store.put(rec('big', T0 + 1_000, big))
    store.put(rec('empty', T0 + 1_000, new Uint8Array(0)))
    expect(Buffer.compare(store.get('big')?.value as Uint8Array, big)).toBe(0)
    expect(store.get('empty')?.value.byteLength).toBe(0)
    expect(store.bytes).toBe(100_000)
  })

  it('copies the value in: mutating the caller buffer does not change the stored one', () => {
    const { store } = setup()
    const v = Buffer.from('abc')
    store.put(rec('k', T0 + 1_000, v))
    v[0] = 0x7a
    expect(Buffer.from(store.get('k')?.value ?? []).toString()).toBe('abc')
  })
})

describe('MemoryStore listing', () => {
  const keys = ['a', 'b', 'ab', 'a/b', '\u{e000}', '\u{ffff}', '\u{1f600}', '\u{10000}', 'é', 'z', 'a\u{1f600}', 'a\u{e000}']

  it('lists in UTF-8 byte order (astral after U+E000–U+FFFF)', () => {
    const { store } = setup()
    for (const k of keys) store.put(rec(k, T0 + 1_000))
    const listed = store.list({ limit: 100 }).keys
    expect(listed).toEqual(byteOrder(keys))
    expect(listed.indexOf('\u{ffff}')).toBeLessThan(listed.indexOf('\u{10000}'))
    expect([...store.metas()].map((m) => m.key)).toEqual(byteOrder(keys))
  })

  it('filters by prefix, resumes strictly after the cursor, honours limit and more', () => {
    const { store } = setup()
    for (const k of keys) store.put(rec(k, T0 + 1_000))
    const aKeys = byteOrder(keys.filter((k) => k.startsWith('a')))
    expect(store.list({ prefix: 'a', limit: 100 })).toEqual({ keys: aKeys, more: false })
    expect(store.list({ prefix: 'a', limit: 2 })).toEqual({ keys: aKeys.slice(0, 2), more: true })
    expect(store.list({ prefix: 'a', after: aKeys[1], limit: 2 })).toEqual({ keys: aKeys.slice(2, 4), more: true })
    expect(store.list({ prefix: 'a', after: aKeys[3], limit: 10 })).toEqual({ keys: aKeys.slice(4), more: false })
    expect(store.list({ prefix: 'a', after: aKeys.at(-1), limit: 10 })).toEqual({ keys: [], more: false })
    expect(store.list({ prefix: 'a', limit: aKeys.length })).toEqual({ keys: aKeys, more: false })
    // A cursor before the prefix starts at the prefix; one that is not a stored key still works.
    expect(store.list({ prefix: 'b', after: 'a', limit: 10 }).keys).toEqual(['b'])
    expect(store.list({ after: 'a0', limit: 3 }).keys).toEqual(
      byteOrder(keys)
        .filter((k) => Buffer.compare(Buffer.from(k), Buffer.from('a0')) > 0)
        .slice(0, 3),
    )
    expect(store.list({ prefix: '\u{1f600}', limit: 10 }).keys).toEqual(['\u{1f600}'])
    expect(store.list({ prefix: 'nope', limit: 10 })).toEqual({ keys: [], more: false })
  })

  it('skips expired keys in a page without counting them', () => {
    const { clock, store } = setup()
    for (let i = 0; i < 10; i++) store.put(rec(`k${i}`, T0 + (i % 2 === 0 ? 1_000 : 5_000)))
    clock.set(T0 + 1_000)
    expect(store.list({ limit: 3 })).toEqual({ keys: ['k1', 'k3', 'k5'], more: true })
    expect(store.list({ after: 'k5', limit: 3 })).toEqual({ keys: ['k7', 'k9'], more: false })
  })

  it('pages through 100k keys in order', () => {
    const { store } = setup()
    const n = 100_000
    // Insert in a scrambled order so the index is built by random inserts.
    for (let i = 0; i < n; i++) {
      const j = (i * 7919) % n
      store.put(rec(`key:${String(j).padStart(6, '0')}`, T0 + 1_000))
    }
    expect(store.size).toBe(n)
    let after: string | undefined
    const seen: string[] = []
    for (;;) {
      const page = store.list({ prefix: 'key:', after, limit: 1000 })
      seen.push(...page.keys)
      if (!page.more) break
      after = page.keys.at(-1)
    }
    expect(seen.length).toBe(n)
    expect(seen.every((k, i) => k === `key:${String(i).padStart(6, '0')}`)).toBe(true)
    expect(store.list({ prefix: 'key:05', limit: 3 }).keys).toEqual(['key:050000', 'key:050001', 'key:050002'])
  })
})

describe('MemoryStore memory under churn', () => {
  it('reuses arena space: reserved bytes stay bounded while keys keep expiring', () => {
    const { clock, store } = setup()
    const value = Buffer.alloc(1000, 1)
    let peak = 0
    for (let round = 0; round < 30; round++) {
      for (let i = 0; i < 1_000; i++) store.put(rec(`r${round}:${i}`, clock.now() + 1_000 + (i % 3) * 1_000, value))
      clock.advance(1_000)
      store.sweep()
      peak = Math.max(peak, store.arenaBytes)
    }
    // Live data is at most ~3 rounds × 1,000 × 1 KB ≈ 3 MB; 30 rounds wrote 30 MB.
    expect(store.size).toBeLessThanOrEqual(3_000)
    expect(peak).toBeLessThan(8 * 1024 * 1024)
    clock.advance(10_000)
    store.sweep()
    expect(store.size).toBe(0)
    expect(store.bytes).toBe(0)
    expect(store.arenaBytes).toBeLessThanOrEqual(1024 * 1024)
  })

  it('a value view stays intact after its record is overwritten, expired and its chunk compacted', () => {
    const { clock, store } = setup()
    store.put(rec('keep', T0 + 1_000, Buffer.alloc(500, 3)))
    const view = store.get('keep')?.value as Uint8Array
    for (let i = 0; i < 5_000; i++) store.put(rec(`x${i}`, T0 + 500, Buffer.alloc(500, 9)))
    store.put(rec('keep', T0 + 2_000, Buffer.alloc(500, 4), { hlc: 2, node: 1 }))
    clock.set(T0 + 1_500)
    store.sweep()
    expect(view.every((b) => b === 3)).toBe(true)
    expect(store.get('keep')?.value.every((b) => b === 4)).toBe(true)
  })
})

describe('MemoryStore delete', () => {
  it('removes a record at once, without an expired event, and frees its bytes and schedule', () => {
    const { clock, store, expired } = setup()
    store.put(rec('é/k', T0 + 1_000, 'abc'))
    store.put(rec('other', T0 + 1_000, 'xy'))
    expect(store.delete('é/k')).toBe(true)
    expect(store.delete('é/k')).toBe(false)
    expect(store.get('é/k')).toBeUndefined()
    expect(store.list({ limit: 10 }).keys).toEqual(['other'])
    expect(store.bytes).toBe(2)
    expect(store.put(rec('é/k', T0 + 5_000, 'new'))).toBe('stored')
    clock.set(T0 + 2_000)
    store.sweep()
    expect(expired.map((m) => m.key)).toEqual(['other'])
    expect(store.get('é/k')?.size).toBe(3)
  })

  it("reports a live record as 'deleted' and one past its instant (not yet swept) as 'expired': each record leaves with one event", () => {
    const { clock, store, expired } = setup()
    const deleted: string[] = []
    store.on('deleted', (m) => deleted.push(m.key))
    store.put(rec('live', T0 + 5_000, 'a'))
    store.put(rec('dead', T0 + 1_000, 'b'))
    clock.set(T0 + 1_000)
    expect(store.delete('live')).toBe(true)
    expect(store.delete('dead')).toBe(true)
    expect(deleted).toEqual(['live'])
    expect(expired.map((m) => m.key)).toEqual(['dead'])
    expect(store.size).toBe(0)
    expect(store.sweep()).toBe(0)
  })
})

describe('MemoryStore lifecycle', () => {
  it('start/stop are idempotent and a listener error does not break the sweep', () => {
    const clock = new ManualClock(T0)
    const store = new MemoryStore({
      clock,
      logger: {
        debug() {},
        info() {},
        warn() {},
        error() {},
        child: () => {
          throw new Error()
        },
      },
    })
    const seen: string[] = []
    store.on('expired', () => {
      throw new Error('boom')
    })
    const l = (m: RecordMeta) => seen.push(m.key)
    store.on('expired', l)
    store.start()
    store.start()
    store.put(rec('a', T0 + 10))
    store.put(rec('b', T0 + 10))
    clock.advance(1_000)
    expect(store.sweep()).toBe(2)
    expect(seen).toEqual([])
    store.off('expired', l)
    store.stop()
    store.stop()
  })
})
