import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { KEY_INDEX_NODE_CAPACITY, KeyIndex } from '../../src/store/key-index.js'

function collect<V>(index: KeyIndex<V>, start?: string, inclusive = true): string[] {
  const out: string[] = []
  index.scan(start, inclusive, (k) => {
    out.push(k)
    return true
  })
  return out
}

const sorted = (keys: Iterable<string>) => [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

describe('KeyIndex', () => {
  it('keeps keys ordered through ascending, descending and random inserts and deletes', () => {
    const n = 8 * KEY_INDEX_NODE_CAPACITY * KEY_INDEX_NODE_CAPACITY
    const index = new KeyIndex<number>()
    const ref = new Set<string>()
    const key = (i: number) => `k${String(i).padStart(7, '0')}`
    for (let i = 0; i < n / 2; i++) {
      index.set(key(i), i)
      ref.add(key(i))
    }
    for (let i = n - 1; i >= n / 2; i--) {
      index.set(key(i), i)
      ref.add(key(i))
    }
    expect(index.size).toBe(n)
    expect(collect(index)).toEqual(sorted(ref))
    // Delete a scrambled two thirds, then everything.
    for (let i = 0; i < n; i++) {
      const j = (i * 48271) % n
      if (j % 3 !== 0 && !(index.delete(key(j)) && ref.delete(key(j)))) throw new Error(`delete ${j}`)
    }
    expect(index.size).toBe(ref.size)
    expect(collect(index)).toEqual(sorted(ref))
    expect([...ref].filter((k) => !index.delete(k))).toEqual([])
    expect(index.size).toBe(0)
    expect(collect(index)).toEqual([])
    expect(index.delete(key(1))).toBe(false)
  })

  it('gets, replaces and seeks inclusively and exclusively', () => {
    const index = new KeyIndex<string>()
    for (const k of ['b', 'd', 'f']) expect(index.set(k, k.toUpperCase())).toBe(true)
    expect(index.set('d', 'dd')).toBe(false)
    expect(index.get('d')).toBe('dd')
    expect(index.get('c')).toBeUndefined()
    expect(index.has('f')).toBe(true)
    expect(collect(index, 'd', true)).toEqual(['d', 'f'])
    expect(collect(index, 'd', false)).toEqual(['f'])
    expect(collect(index, 'c', false)).toEqual(['d', 'f'])
    expect(collect(index, 'g')).toEqual([])
    expect([...index.entries('a')]).toEqual([
      ['b', 'B'],
      ['d', 'dd'],
      ['f', 'F'],
    ])
  })

  it('entries() tolerates modification between steps', () => {
    const index = new KeyIndex<number>()
    const key = (i: number) => `k${String(i).padStart(4, '0')}`
    for (let i = 0; i < 1000; i++) index.set(key(i), i)
    const seen: string[] = []
    for (const [k, v] of index.entries()) {
      seen.push(k)
      // Delete a key further on and insert keys behind: no survivor is skipped or repeated.
      if (v % 2 === 0) index.delete(key(v + 101))
      index.set(`a${k}`, -1)
    }
    expect(seen).toEqual(sorted(new Set(seen)))
    expect(seen.some((k) => k.startsWith('a'))).toBe(false)
    const survivors = [...index.entries()].filter(([k]) => k.startsWith('k')).map(([k]) => k)
    expect(survivors.filter((k) => !seen.includes(k))).toEqual([])
  })

  it('matches a sorted-array model under random operations', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('set', 'delete', 'scan'), fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 4 }), fc.boolean()), {
          maxLength: 400,
          size: 'max',
        }),
        (ops) => {
          const index = new KeyIndex<string>()
          const ref = new Map<string, string>()
          for (const [op, k, flag] of ops) {
            if (op === 'set') {
              expect(index.set(k, `${k}!`)).toBe(!ref.has(k))
              ref.set(k, `${k}!`)
            } else if (op === 'delete') {
              expect(index.delete(k)).toBe(ref.delete(k))
            } else {
              const want = sorted(ref.keys()).filter((x) => (flag ? x >= k : x > k))
              expect(collect(index, k, flag)).toEqual(want)
            }
          }
          expect(index.size).toBe(ref.size)
          expect([...index.entries()]).toEqual(sorted(ref.keys()).map((k) => [k, `${k}!`]))
        },
      ),
      { numRuns: 200 },
    )
  })
})
