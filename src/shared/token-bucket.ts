/**
 * Token buckets: `ratePerSecond` tokens a second up to a burst, refilled lazily from the elapsed time
 * on the caller's clock (integer ms), so there is no timer and an idle bucket costs nothing. The
 * gateway's per-IP limiter, the per-peer store budget and the per-origin announcement budget use it.
 */
import { BoundedMap } from './bounded-map.js'

export interface TokenBucket {
  tokens: number
  /** The clock reading of the last refill, ms. */
  at: number
}

/** Adds the tokens earned since `b.at` (capped at `burst`) and moves `b.at` to `now`. */
export function refill(b: TokenBucket, now: number, ratePerSecond: number, burst: number): void {
  const elapsed = now - b.at
  if (elapsed > 0) {
    b.tokens = Math.min(burst, b.tokens + (elapsed * ratePerSecond) / 1000)
    b.at = now
  }
}

/** One bucket per key, full when first seen; the keys are bounded (the oldest forgotten first). */
export class KeyedTokenBuckets<K> {
  private readonly buckets: BoundedMap<K, TokenBucket>

  constructor(private readonly init: { ratePerSecond: number; burst: number; maxKeys: number }) {
    this.buckets = new BoundedMap(init.maxKeys)
  }

  get size(): number {
    return this.buckets.size
  }

  /** Takes `cost` tokens from `key`'s bucket at `now`; false (and nothing taken) when it holds fewer. */
  take(key: K, cost: number, now: number): boolean {
    let b = this.buckets.get(key)
    if (!b) {
      b = { tokens: this.init.burst, at: now }
      this.buckets.set(key, b)
    } else refill(b, now, this.init.ratePerSecond, this.init.burst)
    if (b.tokens < cost) return false
    b.tokens -= cost
    return true
  }

  clear(): void {
    this.buckets.clear()
  }
}
