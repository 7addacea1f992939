/**
 * Model-based test: random sequences of put/get/meta/list/metas/advance/sweep/delete against a trivial reference
 * (a Map, filtered by expiry at read time and sorted by Buffer.compare of UTF-8 bytes).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/shared/clock.js'
import { compareVersions } from '../../src/shared/version.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import type { StoredRecord } from '../../src/store/record.js'
import { byteOrder } from '../helpers/records.js'

const T0 = 1_800_000_000_000
const MAX_BYTES = 40

const KEYS = ['a', 'ab', 'a/b', 'b', 'é', 'éa', '\u{e000}', '\u{ffff}', '\u{10000}', '\u{1f600}', '\u{1f600}a', 'z']
const keyArb = fc.constantFrom(...KEYS)
const prefixArb = fc.constantFrom('a', 'é', '\u{1f600}', '\u{e000}', 'q')

const opArb = fc.oneof(
  fc.record({
    op: fc.constant('put' as const),
    key: keyArb,
    ttl: fc.integer({ min: -1, max: 30 }).map((t) => t * 10),
    hlc: fc.integer({ min: 0, max: 5 }),
    node: fc.integer({ min: 0, max: 2 }),
    size: fc.integer({ min: 0, max: 12 }),
  }),
  fc.record({ op: fc.constant('get' as const), key: keyArb }),
  fc.record({
    op: fc.constant('list' as const),
    prefix: fc.option(prefixArb, { nil: undefined }),
    after: fc.option(fc.oneof(keyArb, prefixArb), { nil: undefined }),
    limit: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 12 }).map((t) => t * 10) }),
  fc.record({ op: fc.constant('sweep' as const) }),
  fc.record({ op: fc.constant('metas' as const) }),
  fc.record({ op: fc.constant('delete' as const), key: keyArb }),
)

const cmp = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b))

describe('MemoryStore against a reference model', () => {
  it('agrees on every operation', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 150, size: 'max' }), (ops) => {
        const clock = new ManualClock(T0)
        const store = new MemoryStore({ clock }, { maxBytes: MAX_BYTES })
        const model = new Map<string, StoredRecord>()
        const expiredEvents: string[] = []
        store.on('expired', (m) => expiredEvents.push(`${m.key}@${m.expiresAt}`))
        const live = () => [...model.values()].filter((r) => r.expiresAt > clock.now())
        const reclaimExpired = () => {
          for (const [k, r] of model) if (r.expiresAt <= clock.now()) model.delete(k)
        }
        let counter = 0
        for (const o of ops) {
          const now = clock.now()
          if (o.op === 'put') {
            const value = Buffer.alloc(o.size, ++counter & 0xff)
            const rec: StoredRecord = {
              key: o.key,
              version: { hlc: o.hlc, node: o.node },
              createdAt: now,
              ttlSeconds: o.ttl,
              expiresAt: now + o.ttl,
              size: o.size,
              value,
            }
            // The model holds what the store holds: live records and expired ones not reclaimed yet.
            const held = model.get(o.key)
            const heldLive = held && held.expiresAt > now ? held : undefined
            const liveBytes = live().reduce((s, r) => s + r.size, 0)
            let want: string
            if (rec.expiresAt <= now) want = 'expired'
            else if (held && compareVersions(held.version, rec.version) >= 0) want = 'stale'
            else {
              // An expired held record is reclaimed first; past the cap, everything expired is reclaimed.
              if (held && !heldLive) model.delete(o.key)
              const heldBytes = [...model.values()].reduce((s, r) => s + r.size, 0)
              if (heldBytes - (heldLive?.size ?? 0) + o.size > MAX_BYTES) reclaimExpired()
              want = liveBytes - (heldLive?.size ?? 0) + o.size > MAX_BYTES ? 'full' : 'stored'
            }
            expect(store.put(rec)).toBe(want)
            if (want === 'stored') model.set(o.key, { ...rec, value: Buffer.from(value) })
          } else if (o.op === 'get') {
            const r = model.get(o.key)
            const want = r && r.expiresAt > now ? r : undefined
            const got = store.get(o.key)
            if (!want) {
              expect(got).toBeUndefined()
              expect(store.meta(o.key)).toBeUndefined()
            } else {
              expect(got && Buffer.from(got.value).equals(want.value)).toBe(true)
              expect(got?.version).toEqual(want.version)
              expect(store.meta(o.key)).toEqual({
                key: o.key,
                version: want.version,
                createdAt: want.createdAt,
                ttlSeconds: want.ttlSeconds,
                expiresAt: want.expiresAt,
                size: want.size,
              })
            }
          } else if (o.op === 'list') {
            const prefix = o.prefix ?? ''
            const all = byteOrder(live().map((r) => r.key)).filter(
              (k) => Buffer.from(k).subarray(0, Buffer.byteLength(prefix)).equals(Buffer.from(prefix)) && (o.after === undefined || cmp(k, o.after) > 0),
            )
            expect(store.list({ prefix: o.prefix, after: o.after, limit: o.limit })).toEqual({
              keys: all.slice(0, o.limit),
              more: all.length > o.limit,
            })
          } else if (o.op === 'metas') {
            expect([...store.metas()].map((m) => m.key)).toEqual(byteOrder(live().map((r) => r.key)))
          } else if (o.op === 'advance') {
            clock.advance(o.ms)
          } else if (o.op === 'delete') {
            expect(store.delete(o.key)).toBe(model.delete(o.key))
          } else {
            store.sweep()
            reclaimExpired()
            const l = live()
            expect(store.size).toBe(l.length)
            expect(store.bytes).toBe(l.reduce((s, r) => s + r.size, 0))
          }
        }
        // Everything expires in the end, each record reported exactly once.
        clock.advance(1_000)
        store.sweep()
        expect(store.size).toBe(0)
        expect(store.bytes).toBe(0)
        expect(new Set(expiredEvents).size).toBe(expiredEvents.length)
      }),
      { numRuns: 300 },
    )
  })
})
