import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Directory } from '../../src/replication/directory.js'
import { ManualClock } from '../../src/shared/clock.js'
import { compareVersions, type Version } from '../../src/shared/version.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { rec } from '../helpers/records.js'

interface ModelEntry {
  version: Version
  expiresAt: number
  size: number
}

const utf8 = (s: string) => Buffer.from(s, 'utf8')

/** The listing contract over a reference model: byte order, prefix, strictly after the cursor, limit, more. */
function modelList(model: Map<string, ModelEntry>, now: number, prefix: string, after: string | undefined, limit: number) {
  const live = [...model.entries()]
    .filter(([k, e]) => e.expiresAt > now && k.startsWith(prefix) && (after === undefined || Buffer.compare(utf8(k), utf8(after)) > 0))
    .map(([k]) => k)
    .sort((a, b) => Buffer.compare(utf8(a), utf8(b)))
  return { keys: live.slice(0, limit), more: live.length > limit }
}

describe('Directory', () => {
  it('keeps the newest version, refuses older ones and forgets entries at expiry', () => {
    const d = new Directory()
    expect(d.upsert('a', { hlc: 10, node: 1 }, 1_000, 5, 0)).toBe(true)
    expect(d.upsert('a', { hlc: 9, node: 7 }, 2_000, 6, 0)).toBe(false)
    expect(d.upsert('a', { hlc: 10, node: 2 }, 3_000, 7, 0)).toBe(true)
    expect(d.get('a', 0)).toEqual({ key: 'a', version: { hlc: 10, node: 2 }, expiresAt: 3_000, size: 7 })
    expect(d.get('a', 3_000)).toBeUndefined()
    expect(d.list({ limit: 10 }, 2_999).keys).toEqual(['a'])
    expect(d.list({ limit: 10 }, 3_000).keys).toEqual([])
    expect(d.sweep(10_000)).toBe(1)
    expect(d.size).toBe(0)
    // A freed slot is reused with fresh fields.
    expect(d.upsert('b', { hlc: 1, node: 4_294_967_295 }, 20_000, 2 ** 31, 10_000)).toBe(true)
    expect(d.get('b', 10_000)).toEqual({ key: 'b', version: { hlc: 1, node: 4_294_967_295 }, expiresAt: 20_000, size: 2 ** 31 })
  })

  it('refuses new keys past maxEntries and counts them', () => {
    const d = new Directory({}, { maxEntries: 2 })
    expect(d.upsert('a', { hlc: 1, node: 1 }, 100, 1, 0)).toBe(true)
    expect(d.upsert('b', { hlc: 1, node: 1 }, 100, 1, 0)).toBe(true)
    expect(d.upsert('c', { hlc: 1, node: 1 }, 100, 1, 0)).toBe(false)
    expect(d.refused).toBe(1)
    expect(d.upsert('a', { hlc: 2, node: 1 }, 200, 1, 0)).toBe(true)
  })

  it('matches a reference model for upsert, get, list, page and sweep (model-based)', () => {
    const key = fc.constantFrom('', 'a', 'a/1', 'a/2', 'ab', 'b', 'é', 'é/x', '\u{1F600}', 'z', '\uFFFD')
    const op = fc.oneof(
      fc.record({
        t: fc.constant('upsert' as const),
        key,
        hlc: fc.integer({ min: 0, max: 5 }),
        node: fc.integer({ min: 0, max: 3 }),
        ttl: fc.integer({ min: -5, max: 50 }),
        size: fc.nat(1_000),
      }),
      fc.record({ t: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ t: fc.constant('sweep' as const) }),
      fc.record({
        t: fc.constant('list' as const),
        prefix: fc.constantFrom('', 'a', 'a/', 'é', 'z'),
        after: fc.option(key, { nil: undefined }),
        limit: fc.integer({ min: 1, max: 4 }),
      }),
      fc.record({ t: fc.constant('get' as const), key }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const d = new Directory()
        const model = new Map<string, ModelEntry>()
        let now = 1_000
        for (const o of ops) {
          if (o.t === 'upsert') {
            const version = { hlc: o.hlc, node: o.node }
            const expiresAt = now + o.ttl
            const cur = model.get(o.key)
            let accept = expiresAt > now
            if (accept && cur && cur.expiresAt > now && compareVersions(cur.version, version) >= 0) accept = false
            expect(d.upsert(o.key, version, expiresAt, o.size, now)).toBe(accept)
            if (accept) model.set(o.key, { version, expiresAt, size: o.size })
          } else if (o.t === 'tick') now += o.ms
          else if (o.t === 'sweep') {
            d.sweep(now)
            for (const [k, e] of model) if (e.expiresAt <= now) model.delete(k)
          } else if (o.t === 'get') {
            const e = model.get(o.key)
            expect(d.get(o.key, now)).toEqual(e && e.expiresAt > now ? { key: o.key, ...e } : undefined)
          } else {
            expect(d.list({ prefix: o.prefix, after: o.after, limit: o.limit }, now)).toEqual(modelList(model, now, o.prefix, o.after, o.limit))
          }
        }
        // A late joiner's sync sees every live entry exactly once, in byte order.
        const seen: string[] = []
        let after: string | undefined
        for (;;) {
          const p = d.page(after, 3, now)
          for (const e of p.entries) {
            const m = model.get(e.key)
            expect(m && { ...m, key: e.key }).toEqual(e)
            seen.push(e.key)
          }
          if (!p.more) break
          after = p.entries[p.entries.length - 1].key
        }
        expect(seen).toEqual(modelList(model, now, '', undefined, Number.MAX_SAFE_INTEGER).keys)
      }),
      { numRuns: 300 },
    )
  })
})

describe('Directory over this node store (a mesh-wide listing without a second copy of local keys)', () => {
  it('keeps nothing for keys the store holds, lists them, and keeps a handed-off key listed', () => {
    const clock = new ManualClock(1_000)
    const store = new MemoryStore({ clock })
    const d = new Directory({ store, clock })
    store.put(rec('a', 5_000, 'abc', { hlc: 5, node: 1 }))
    expect(d.upsert('a', { hlc: 5, node: 1 }, 5_000, 3, clock.now())).toBe(true)
    expect(d.size).toBe(0)
    expect(d.upsert('a', { hlc: 4, node: 1 }, 9_000, 3, clock.now())).toBe(false)
    expect(d.upsert('b', { hlc: 1, node: 1 }, 3_000, 3, clock.now())).toBe(true)
    expect(d.size).toBe(1)
    expect(d.list({ limit: 10 }, clock.now())).toEqual({ keys: ['a', 'b'], more: false })
    expect(d.list({ limit: 1 }, clock.now())).toEqual({ keys: ['a'], more: true })
    expect(d.list({ limit: 1, after: 'a' }, clock.now())).toEqual({ keys: ['b'], more: false })
    expect(d.page(undefined, 10, clock.now()).entries.map((e) => [e.key, e.version.hlc])).toEqual([
      ['a', 5],
      ['b', 1],
    ])
    store.delete('a')
    expect(d.size).toBe(2)
    expect(d.get('a', clock.now())?.expiresAt).toBe(5_000)
    clock.set(5_000)
    expect(d.list({ limit: 10 }, clock.now()).keys).toEqual([])
  })

  it('drops an older directory entry once the store holds a newer version, so it cannot outlive it', () => {
    const clock = new ManualClock(1_000)
    const store = new MemoryStore({ clock })
    const d = new Directory({ store, clock })
    d.upsert('k', { hlc: 1, node: 1 }, 9_000, 3, clock.now())
    store.put(rec('k', 2_000, 'abc', { hlc: 2, node: 1 }))
    d.upsert('k', { hlc: 2, node: 1 }, 2_000, 3, clock.now())
    expect(d.size).toBe(0)
    clock.set(2_000)
    expect(d.list({ limit: 10 }, clock.now()).keys).toEqual([])
  })

  it('lists each live key once, in byte order, across store and directory (model-based)', () => {
    const key = fc.constantFrom('a', 'a/1', 'a/2', 'ab', 'b', 'é', '\u{1F600}', '\uFFFD')
    const op = fc.oneof(
      fc.record({ t: fc.constant('store' as const), key, hlc: fc.integer({ min: 0, max: 8 }) }),
      fc.record({ t: fc.constant('announce' as const), key, hlc: fc.integer({ min: 0, max: 8 }) }),
      fc.record({ t: fc.constant('handoff' as const), key }),
      fc.record({ t: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 30 }) }),
      fc.record({
        t: fc.constant('list' as const),
        prefix: fc.constantFrom('', 'a', 'a/', 'é'),
        after: fc.option(key, { nil: undefined }),
        limit: fc.integer({ min: 1, max: 4 }),
      }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const clock = new ManualClock(1_000)
        const store = new MemoryStore({ clock })
        const d = new Directory({ store, clock })
        // Reference: the old, store-less directory fed every write (own writes are announced too).
        const ref = new Directory()
        for (const o of ops) {
          const now = clock.now()
          // One expiry per version, later for newer versions (as writes at later instants with one TTL).
          const exp = o.t === 'store' || o.t === 'announce' ? 1_000 + o.hlc * 40 + 20 : 0
          if (o.t === 'store') {
            if (store.put(rec(o.key, exp, 'abc', { hlc: o.hlc, node: 1 })) === 'stored') {
              d.upsert(o.key, { hlc: o.hlc, node: 1 }, exp, 3, now)
              ref.upsert(o.key, { hlc: o.hlc, node: 1 }, exp, 3, now)
            }
          } else if (o.t === 'announce') {
            d.upsert(o.key, { hlc: o.hlc, node: 1 }, exp, 3, now)
            ref.upsert(o.key, { hlc: o.hlc, node: 1 }, exp, 3, now)
          } else if (o.t === 'handoff') store.delete(o.key)
          else if (o.t === 'tick') {
            clock.set(now + o.ms)
            store.sweep()
            d.sweep(clock.now())
          } else {
            const q = { prefix: o.prefix, after: o.after, limit: o.limit }
            expect(d.list(q, now)).toEqual(ref.list(q, now))
          }
        }
      }),
      { numRuns: 300 },
    )
  })
})
