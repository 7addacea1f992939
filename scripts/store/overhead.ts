/**
 * Child side of the per-entry overhead measurement: in a fresh process started with --expose-gc, gc and
 * read memory, put `n` records of `valueBytes` bytes under keys `bench:0000001`…, gc, read memory again.
 * Overhead per entry = (Δ − key bytes − value bytes) / n, from RSS and from V8 heap + external memory.
 *
 * In a fresh process the fill also grows V8's young generation (semi-spaces) from ~1 to ~16 MiB each: a
 * one-off, per-process cost any busy process pays, not a per-entry one. It is measured and reported, and
 * the RSS figure is given with and without it. (A warm-up run instead would let the fill reuse memory
 * the warm-up freed, understating RSS.)
 */
import { getHeapSpaceStatistics } from 'node:v8'
import { systemClock } from '../../src/shared/clock.js'
import { MemoryStore } from '../../src/store/memory-store.js'

export interface OverheadResult {
  newSpaceDelta: number
  entries: number
  valueBytes: number
  keyBytes: number
  rssDelta: number
  heapExternalDelta: number
  rssOverheadPerEntry: number
  /** As rssOverheadPerEntry, with the one-off growth of V8's new space taken out. */
  rssOverheadExNewSpacePerEntry: number
  heapExternalOverheadPerEntry: number
  arenaBytes: number
  insertSeconds: number
}

function settle(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run with node --expose-gc')
  gc()
  gc()
  return process.memoryUsage()
}

function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0
}

/** Puts `entries` records of `valueBytes` under `bench:…` keys; returns their total key bytes. */
function fill(store: MemoryStore, entries: number, valueBytes: number): number {
  const digits = Math.max(6, String(entries - 1).length)
  // One input buffer, varied per record: the store copies values in, so inputs leave no garbage behind.
  const value = Buffer.alloc(valueBytes, 0x61)
  const now = Date.now()
  let keyBytes = 0
  for (let i = 0; i < entries; i++) {
    const key = `bench:${String(i).padStart(digits, '0')}`
    keyBytes += key.length
    value.writeUInt32LE(i, 0)
    const outcome = store.put({
      key,
      version: { hlc: i + 1, node: 1 },
      createdAt: now,
      ttlSeconds: 3600,
      expiresAt: now + 3_600_000,
      size: valueBytes,
      value,
    })
    if (outcome !== 'stored') throw new Error(`put ${key}: ${outcome}`)
  }
  return keyBytes
}

export function measureOverhead(entries: number, valueBytes: number): OverheadResult {
  const before = settle()
  const newSpaceBefore = newSpaceBytes()
  const store = new MemoryStore({ clock: systemClock })
  const t0 = performance.now()
  const keyBytes = fill(store, entries, valueBytes)
  const insertSeconds = (performance.now() - t0) / 1000
  const after = settle()
  if (store.size !== entries) throw new Error('store lost entries')
  const payload = keyBytes + entries * valueBytes
  const rssDelta = after.rss - before.rss
  const heapExternalDelta = after.heapUsed + after.external - (before.heapUsed + before.external)
  const newSpaceDelta = newSpaceBytes() - newSpaceBefore
  return {
    newSpaceDelta,
    entries,
    valueBytes,
    keyBytes,
    rssDelta,
    heapExternalDelta,
    rssOverheadPerEntry: (rssDelta - payload) / entries,
    rssOverheadExNewSpacePerEntry: (rssDelta - newSpaceDelta - payload) / entries,
    heapExternalOverheadPerEntry: (heapExternalDelta - payload) / entries,
    arenaBytes: store.arenaBytes,
    insertSeconds,
  }
}
