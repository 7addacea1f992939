/**
 * Per-client-IP token buckets: `ratePerSecond` tokens a second, up to a burst of
 * `BURST_MULTIPLIER`× that. Loopback clients are exempt (the gateway's own host: tools, benchmarks).
 * The bucket map is bounded: when full, buckets that have refilled completely (indistinguishable from
 * new ones) are dropped, and if that frees too little the oldest are evicted, so a flood of
 * distinct addresses costs bounded memory. Time comes from the injected clock.
 */
import type { Clock } from '../shared/clock.js'
import { refill, type TokenBucket } from '../shared/token-bucket.js'
import { isLoopback } from './client-ip.js'

/** Burst = 2× the per-second rate, as the contract says. */
export const BURST_MULTIPLIER = 2
/** At most this many tracked client IPs (~100 B each): plenty for real clients, bounded under a spoofed flood. */
export const DEFAULT_MAX_BUCKETS = 10_000
/** When eviction by refill frees less than this fraction, the oldest buckets go too. */
const EVICT_FRACTION = 0.1

export interface RateLimiterInit {
  ratePerSecond: number
  maxBuckets?: number
}

export class RateLimiter {
  private readonly clock: Clock
  private readonly rate: number
  private readonly burst: number
  private readonly maxBuckets: number
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(components: { clock: Clock }, init: RateLimiterInit) {
    this.clock = components.clock
    this.rate = init.ratePerSecond
    this.burst = init.ratePerSecond * BURST_MULTIPLIER
    this.maxBuckets = init.maxBuckets ?? DEFAULT_MAX_BUCKETS
  }

  get enabled(): boolean {
    return this.rate > 0
  }

  get size(): number {
    return this.buckets.size
  }

  /**
   * Takes one token for `ip`. Returns 0 when allowed, else the whole seconds until a token is
   * available (for Retry-After, at least 1).
   */
  take(ip: string): number {
    if (this.rate <= 0 || isLoopback(ip)) return 0
    const now = this.clock.now()
    let b = this.buckets.get(ip)
    if (b === undefined) {
      if (this.buckets.size >= this.maxBuckets) this.evict(now)
      b = { tokens: this.burst, at: now }
      this.buckets.set(ip, b)
    } else refill(b, now, this.rate, this.burst)
    if (b.tokens >= 1) {
      b.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.rate))
  }

  private evict(now: number): void {
    const before = this.buckets.size
    for (const [ip, b] of this.buckets) {
      if (b.tokens + ((now - b.at) * this.rate) / 1000 >= this.burst) this.buckets.delete(ip)
    }
    const target = Math.floor(before * (1 - EVICT_FRACTION))
    if (this.buckets.size <= target) return
    for (const ip of this.buckets.keys()) {
      if (this.buckets.size <= target) break
      this.buckets.delete(ip)
    }
  }

  clear(): void {
    this.buckets.clear()
  }
}
