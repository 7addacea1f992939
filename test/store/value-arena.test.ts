import { describe, expect, it } from 'vitest'
import { ValueArena } from '../../src/store/value-arena.js'

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill)

describe('ValueArena', () => {
  it('stores copies, views them, and frees them', () => {
    const arena = new ValueArena({ chunkBytes: 4096, largeValueBytes: 1024 })
    arena.alloc(0, bytes(10, 1))
    arena.alloc(5, bytes(2000, 2))
    arena.alloc(3, new Uint8Array(0))
    expect(arena.valueBytes).toBe(2010)
    expect(arena.length(0)).toBe(10)
    expect(arena.view(0).every((b) => b === 1)).toBe(true)
    expect(arena.view(5).byteLength).toBe(2000)
    expect(arena.view(3).byteLength).toBe(0)
    expect(() => arena.alloc(0, bytes(1, 1))).toThrow()
    arena.free(5)
    expect(arena.has(5)).toBe(false)
    expect(arena.length(5)).toBe(0)
    arena.free(5)
    expect(arena.valueBytes).toBe(10)
    expect(arena.reservedBytes).toBe(4096)
  })

  it('compacts chunks that fall below half live (lazily, the backlog bounded), keeping every live value intact', () => {
    const arena = new ValueArena({ chunkBytes: 4096, largeValueBytes: 1024 })
    const live = new Map<number, number>()
    let slot = 0
    let maxReserved = 0
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 20; i++) {
        const s = slot++
        const len = 1 + ((s * 37) % 300)
        arena.alloc(s, bytes(len, s & 0xff))
        live.set(s, len)
      }
      // Free a pseudo-random ~60% of what is live.
      for (const [s] of live) {
        if (((s + round * 7919) * 2654435761) % 10 < 6) {
          arena.free(s)
          live.delete(s)
        }
      }
      maxReserved = Math.max(maxReserved, arena.reservedBytes)
      // Queued, not yet compacted: alloc keeps the queue within its cap (16 chunks by default).
      expect(arena.compactionBacklog).toBeLessThanOrEqual(16)
      if (round % 2 === 0) expect(arena.compact()).toBe(false)
      let liveBytes = 0
      const bad: number[] = []
      for (const [s, len] of live) {
        liveBytes += len
        const v = arena.view(s)
        if (v.byteLength !== len || v[0] !== (s & 0xff) || v[len - 1] !== (s & 0xff)) bad.push(s)
      }
      expect(bad).toEqual([])
      expect(arena.valueBytes).toBe(liveBytes)
      // Below half live a chunk is compacted: reserved ≤ 2 × (live + headers) + the active chunk, plus
      // the queue when it has not run.
      const queued = round % 2 === 0 ? 0 : 16
      expect(arena.reservedBytes).toBeLessThanOrEqual(2 * (liveBytes + 8 * live.size) + (2 + queued) * 4096)
    }
  })

  it('views survive free and compaction (bytes are never rewritten)', () => {
    const arena = new ValueArena({ chunkBytes: 1024, largeValueBytes: 256 })
    for (let s = 0; s < 10; s++) arena.alloc(s, bytes(100, s))
    const views = Array.from({ length: 10 }, (_, s) => arena.view(s))
    // Chunk 0 holds slots 0–8: with 0–5 freed it is under half live, queued, and compaction moves 6–8.
    for (let s = 0; s < 6; s++) arena.free(s)
    expect(arena.compactionBacklog).toBe(1)
    expect(arena.compact()).toBe(false)
    for (let s = 6; s < 9; s++) arena.free(s)
    for (let s = 10; s < 100; s++) arena.alloc(s, bytes(100, s))
    for (let s = 0; s < 10; s++) expect(views[s].every((b) => b === s)).toBe(true)
    expect(arena.view(9).every((b) => b === 9)).toBe(true)
  })

  it('a queued chunk that empties before its turn is dropped without a copy', () => {
    const arena = new ValueArena({ chunkBytes: 1024, largeValueBytes: 256 })
    for (let s = 0; s < 20; s++) arena.alloc(s, bytes(100, s))
    const reserved = arena.reservedBytes
    for (let s = 0; s < 6; s++) arena.free(s)
    expect(arena.compactionBacklog).toBe(1)
    for (let s = 6; s < 9; s++) arena.free(s)
    expect(arena.reservedBytes).toBe(reserved - 1024)
    // ...and it left the queue at once: nothing holds its buffer.
    expect(arena.compactionBacklog).toBe(0)
    expect(arena.compact()).toBe(false)
    expect(arena.reservedBytes).toBe(reserved - 1024)
    for (let s = 9; s < 20; s++) expect(arena.view(s).every((b) => b === s)).toBe(true)
  })
})
