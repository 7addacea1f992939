import { describe, expect, it } from 'vitest'
import { FetchStatus, StoreStatus, type WireRecord } from '../../protocols/messages.js'
import { Directory } from '../../src/replication/directory.js'
import { ReplicaHandlers } from '../../src/replication/handlers.js'
import { VersionFloor } from '../../src/replication/version-floor.js'
import { ManualClock } from '../../src/shared/clock.js'
import { silentLogger } from '../../src/shared/logger.js'
import { MemoryStore } from '../../src/store/memory-store.js'

const LIMITS = { maxKeyBytes: 64, maxValueBytes: 1_024, maxTtlSeconds: 3_600 }

function setup(init: { storeBytesPerPeerPerSecond?: number; maxBytes?: number } = {}) {
  const clock = new ManualClock()
  const store = new MemoryStore({ clock, logger: silentLogger }, { maxBytes: init.maxBytes ?? 0 })
  const floor = new VersionFloor({ store, clock }, { maxTtlMs: LIMITS.maxTtlSeconds * 1000 })
  floor.start()
  const directory = new Directory()
  let accepting = true
  const h = new ReplicaHandlers(
    { clock, store, floor, directory },
    { enclave: 'default', limits: LIMITS, accepting: () => accepting, storeBytesPerPeerPerSecond: init.storeBytesPerPeerPerSecond },
  )
  return { clock, store, floor, directory, h, stopAccepting: () => (accepting = false) }
}

const rec = (over: Partial<WireRecord> = {}): WireRecord => ({
  key: 'k',
  value: new Uint8Array([1, 2, 3]),
  hlc: 1_000_000n,
  node: 1,
  // Written 10 s before the ManualClock's start, TTL 60 s: its writer's expiry is 50 s ahead.
  createdAt: 1_800_000_000_000n - 10_000n,
  ttlSeconds: 60,
  remainingMs: 30_000n,
  size: 3,
  ...over,
})

describe('replica handlers (no network)', () => {
  it('stores a pushed record with expiry = now + remaining lifetime and serves it back', () => {
    const { h, clock, store } = setup()
    expect(h.store('p', { record: rec(), handoff: false, enclave: 'default' }).status).toBe(StoreStatus.STORE_OK)
    expect(store.meta('k')?.expiresAt).toBe(clock.now() + 30_000)
    const f = h.fetch('p', { key: 'k', metaOnly: false, enclave: 'default' })
    expect(f.status).toBe(FetchStatus.FETCH_FOUND)
    expect(Number(f.record?.remainingMs)).toBe(30_000)
    clock.advance(30_000)
    expect(h.fetch('p', { key: 'k', metaOnly: true, enclave: 'default' }).status).toBe(FetchStatus.FETCH_NOT_FOUND)
  })

  it('never lets a copy outlive its writer: expiry is clamped to createdAt + TTL (time queued in transit does not extend it)', () => {
    const { h, clock, store } = setup()
    // Encoded with 30 s remaining, but it arrives (or is decoded) 25 s past the writer's createdAt + 35 s.
    const late = rec({ createdAt: BigInt(clock.now() - 35_000), ttlSeconds: 60, remainingMs: 30_000n })
    expect(h.store('p', { record: late, handoff: false, enclave: 'default' }).status).toBe(StoreStatus.STORE_OK)
    expect(store.meta('k')?.expiresAt).toBe(clock.now() + 25_000)
    // Already past the writer's expiry on arrival: not stored at all.
    const dead = rec({ key: 'dead', createdAt: BigInt(clock.now() - 61_000), remainingMs: 5_000n })
    expect(h.store('p', { record: dead, handoff: false, enclave: 'default' }).status).toBe(StoreStatus.STORE_EXPIRED)
  })

  it('refuses what must not be believed or resurrected', () => {
    const { h, clock } = setup()
    const push = (r: WireRecord, enclave = 'default') => h.store('p', { record: r, handoff: true, enclave }).status
    expect(push(rec({ remainingMs: 61_000n + 2_000n }))).toBe(StoreStatus.STORE_INVALID)
    expect(push(rec({ ttlSeconds: 7_200 }))).toBe(StoreStatus.STORE_INVALID)
    expect(push(rec({ size: 4 }))).toBe(StoreStatus.STORE_INVALID)
    expect(push(rec({ key: 'x'.repeat(65) }))).toBe(StoreStatus.STORE_INVALID)
    expect(push(rec({ remainingMs: 0n }))).toBe(StoreStatus.STORE_EXPIRED)
    expect(push(rec(), 'other')).toBe(StoreStatus.STORE_REFUSED)
    expect(push(rec({ hlc: 2_000_000n, remainingMs: 1_000n }))).toBe(StoreStatus.STORE_OK)
    expect(push(rec({ hlc: 1_000_000n }))).toBe(StoreStatus.STORE_STALE)
    // Once the newer version expired, the older one (longer-lived) must still not come back.
    clock.advance(1_001)
    expect(push(rec({ hlc: 1_000_000n }))).toBe(StoreStatus.STORE_STALE)
  })

  it('reports a full store and a stopping node as statuses', () => {
    const full = setup({ maxBytes: 2 })
    expect(full.h.store('p', { record: rec(), handoff: false, enclave: 'default' }).status).toBe(StoreStatus.STORE_FULL)
    const stopping = setup()
    stopping.stopAccepting()
    expect(stopping.h.store('p', { record: rec(), handoff: false, enclave: 'default' }).status).toBe(StoreStatus.STORE_REFUSED)
  })

  it('bounds the bytes one peer can push per second', () => {
    const { h, clock } = setup({ storeBytesPerPeerPerSecond: 1_000 })
    const big = (i: number) => rec({ key: `b${i}`, value: new Uint8Array(900), size: 900 })
    const statuses = Array.from({ length: 4 }, (_, i) => h.store('greedy', { record: big(i), handoff: false, enclave: 'default' }).status)
    expect(statuses.filter((s) => s === StoreStatus.STORE_REFUSED).length).toBeGreaterThan(0)
    // Another peer has its own budget; time refills it.
    expect(h.store('polite', { record: big(9), handoff: false, enclave: 'default' }).status).toBe(StoreStatus.STORE_OK)
    clock.advance(2_000)
    expect(h.store('greedy', { record: big(5), handoff: false, enclave: 'default' }).status).toBe(StoreStatus.STORE_OK)
  })

  it('pages the directory for late joiners', () => {
    const { h, directory, clock } = setup()
    for (let i = 0; i < 7; i++) directory.upsert(`d${i}`, { hlc: i, node: 1 }, clock.now() + 10_000, 1, clock.now())
    const p1 = h.directory('p', { after: '', limit: 5, enclave: 'default' })
    expect(p1.entries.map((e) => e.key)).toEqual(['d0', 'd1', 'd2', 'd3', 'd4'])
    expect(p1.more).toBe(true)
    const p2 = h.directory('p', { after: 'd4', limit: 5, enclave: 'default' })
    expect(p2.entries.map((e) => e.key)).toEqual(['d5', 'd6'])
    expect(p2.more).toBe(false)
    expect(h.directory('p', { after: '', limit: 5, enclave: 'nope' }).entries).toEqual([])
  })
})
