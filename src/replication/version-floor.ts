/**
 * A bounded memo of the newest version seen per key, kept after a record leaves this node (handoff,
 * expiry), so an older copy replayed by handoff, repair or a stale replica is refused instead of
 * resurrected. An entry lives until no older version of its key can still be alive anywhere: the
 * maximum TTL after we last saw a newer version (measured on our clock, never a peer's claim). Oldest
 * entries are forgotten first when the cap is reached.
 */
import { compareVersions, type Version } from '../store/record.js'

/** Keys remembered; ~120 B each, so the default costs ≤ ~24 MiB. */
export const DEFAULT_VERSION_FLOOR_ENTRIES = 200_000
/**
 * Past the cap, this fraction of the oldest entries is forgotten in one pass. One at a time made every
 * insert walk the Map's deleted slots from its front (quadratic until V8 rehashes: 400k puts took 2.3×
 * as long); a batch walks them once per cap/EVICT_DIVISOR inserts.
 */
const EVICT_DIVISOR = 16

interface Entry {
  version: Version
  until: number
}

export class VersionFloor {
  private readonly entries = new Map<string, Entry>()
  private readonly maxEntries: number
  private readonly maxTtlMs: number

  constructor(init: { maxTtlMs: number; maxEntries?: number }) {
    this.maxTtlMs = init.maxTtlMs
    this.maxEntries = init.maxEntries ?? DEFAULT_VERSION_FLOOR_ENTRIES
  }

  get size(): number {
    return this.entries.size
  }

  /** Remembers `version` for `key` if it is the newest seen (at `now`, this node's clock). */
  observe(key: string, version: Version, now: number): void {
    const e = this.entries.get(key)
    if (e && compareVersions(e.version, version) >= 0) return
    if (e) this.entries.delete(key)
    this.entries.set(key, { version, until: now + this.maxTtlMs })
    if (this.entries.size > this.maxEntries) {
      let evict = Math.max(1, Math.ceil(this.maxEntries / EVICT_DIVISOR))
      for (const k of this.entries.keys()) {
        if (evict-- <= 0) break
        this.entries.delete(k)
      }
    }
  }

  /** True when a newer version than `version` is remembered for `key` (so `version` must not return). */
  supersedes(key: string, version: Version, now: number): boolean {
    const e = this.entries.get(key)
    if (!e) return false
    if (e.until <= now) {
      this.entries.delete(key)
      return false
    }
    return compareVersions(e.version, version) > 0
  }

  /** Drops entries whose protection has lapsed (call now and then). */
  prune(now: number, budget = 1_000): void {
    for (const [k, e] of this.entries) {
      if (budget-- <= 0) return
      if (e.until <= now) this.entries.delete(k)
    }
  }
}
