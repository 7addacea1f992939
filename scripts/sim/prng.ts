/**
 * A small deterministic PRNG (sfc32 seeded through cyrb128) so a `--seed` reproduces the workload's
 * and the churn driver's choices. Each concern forks its own stream, so the churn schedule does not
 * shift when the workload happens to draw more numbers (the interleaving of async completions is
 * still timing-dependent; the choices are not).
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  /** Integer in [0, n). */
  int(n: number): number
  /** Integer in [lo, hi] inclusive. */
  range(lo: number, hi: number): number
  /** True with probability p. */
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  /** One name drawn by positive weight; throws on an empty or all-zero table. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K
  /** Lower-case hex of `bytes` random bytes. */
  hex(bytes: number): string
  /** An independent stream derived from this one's seed and a label. */
  fork(label: string): Rng
}

function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
}

export function createRng(seed: string): Rng {
  let [a, b, c, d] = cyrb128(seed)
  const next = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    let t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    t = (t + d) | 0
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  // Discard the first outputs: sfc32 mixes its state over the first few rounds.
  for (let i = 0; i < 15; i++) next()
  const rng: Rng = {
    next,
    int: (n) => Math.floor(next() * n),
    range: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick from an empty list')
      return items[Math.floor(next() * items.length)]
    },
    weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
      const entries = (Object.entries(weights) as [K, number][]).filter(([, w]) => w > 0)
      const total = entries.reduce((s, [, w]) => s + w, 0)
      if (entries.length === 0 || total <= 0) throw new RangeError('weighted pick from an empty table')
      let x = next() * total
      for (const [k, w] of entries) {
        x -= w
        if (x < 0) return k
      }
      return entries[entries.length - 1][0]
    },
    hex(bytes) {
      let s = ''
      for (let i = 0; i < bytes; i++)
        s += Math.floor(next() * 256)
          .toString(16)
          .padStart(2, '0')
      return s
    },
    fork: (label) => createRng(`${seed}/${label}`),
  }
  return rng
}
