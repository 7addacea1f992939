import { describe, expect, it } from 'vitest'
import { SlotKeyIndex } from '../../src/store/slot-key-index.js'

/** A deterministic pseudo-random sequence (xorshift32). */
function rng(seed: number): () => number {
  let x = seed | 0 || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 2 ** 32
  }
}

describe('SlotKeyIndex', () => {
  it('matches a sorted model through inserts, deleteSlot and delete (splits, merges and borrows move entries between leaves)', () => {
    for (const seed of [1, 2, 3]) {
      const random = rng(seed)
      const index = new SlotKeyIndex()
      const model = new Map<string, number>()
      const freeSlots: number[] = []
      let nextSlot = 0
      for (let step = 0; step < 30_000; step++) {
        const r = random()
        const key = `k${Math.floor(random() * 5_000)
          .toString()
          .padStart(5, '0')}`
        const held = model.get(key)
        if (held === undefined && r < 0.55) {
          const slot = freeSlots.pop() ?? nextSlot++
          expect(index.set(key, slot)).toBe(true)
          model.set(key, slot)
        } else if (held !== undefined) {
          expect(r < 0.85 ? index.deleteSlot(key, held) : index.delete(key)).toBe(true)
          model.delete(key)
          freeSlots.push(held)
        }
        if (step % 5_000 === 0) expect([...index.entries()]).toEqual([...model.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
      }
      expect(index.size).toBe(model.size)
      expect([...index.entries()]).toEqual([...model.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
      for (const [key, slot] of model) expect(index.deleteSlot(key, slot)).toBe(true)
      expect(index.size).toBe(0)
      expect([...index.entries()]).toEqual([])
    }
  })

  it('deleteSlot of an absent entry changes nothing', () => {
    const index = new SlotKeyIndex()
    index.set('a', 0)
    expect(index.deleteSlot('b', 1)).toBe(false)
    expect(index.deleteSlot('b', 0)).toBe(false)
    expect(index.deleteSlot('a', 0)).toBe(true)
    expect(index.deleteSlot('a', 0)).toBe(false)
    expect(index.size).toBe(0)
  })
})
