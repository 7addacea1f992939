/**
 * Hybrid logical clock: version readings that follow wall time but never go backwards on a node, and
 * move past every version the node has seen from others (`observe`: every record received, every
 * announcement, every replica's answer), so an overwrite issued here outranks whatever the writer
 * could have read — even when this node's wall clock lags the previous writer's.
 *
 * The skew bound δ = MAX_FUTURE_SKEW_MS: a version whose wall time is more than δ ahead of this
 * node's clock is not observed (a hostile or broken peer cannot drag our clock into the future). Such
 * a version means either that peer's clock or ours is off by more than δ: it is counted, and the node
 * reports it (status, metrics, a warning in the log) as a suspected clock skew.
 */
import type { Clock } from './clock.js'
import { HLC_COUNTER_BITS, HLC_COUNTER_MAX, HLC_EPOCH_MS, MAX_FUTURE_SKEW_MS, type Version, versionWallMs } from './version.js'

const COUNTER_SPAN = 2 ** HLC_COUNTER_BITS
/** How long one version from beyond the skew bound keeps the node's "clock skew suspected" flag up. */
export const SKEW_SUSPECT_HOLD_MS = 60_000

export interface ClockSkewReport {
  /** A version more than δ ahead of our clock was seen within SKEW_SUSPECT_HOLD_MS. */
  suspected: boolean
  /** How far ahead of our clock the newest such version was, ms (0 when none seen). */
  aheadMs: number
  /** Versions refused for being more than δ ahead, since start. */
  refused: number
  /** δ, ms. */
  toleranceMs: number
}

export class HybridLogicalClock {
  private last = 0
  private readonly clock: Clock
  private readonly maxSkewMs: number
  private refused = 0
  private lastRefusedAt = Number.NEGATIVE_INFINITY
  private lastAheadMs = 0
  /** Called on the first refused version of a suspicion period (the node logs it). */
  onSkew: ((aheadMs: number) => void) | undefined

  constructor(components: { clock: Clock }, init: { maxSkewMs?: number } = {}) {
    this.clock = components.clock
    this.maxSkewMs = init.maxSkewMs ?? MAX_FUTURE_SKEW_MS
  }

  /** A new reading, strictly greater than every reading issued or observed here. */
  tick(): number {
    const wall = Math.max(0, Math.floor(this.clock.now()) - HLC_EPOCH_MS) * COUNTER_SPAN
    this.last = wall > this.last ? wall : this.last + 1
    return this.last
  }

  /** A new version of this node (`node` is its tie-break). */
  next(node: number): Version {
    return { hlc: this.tick(), node: node >>> 0 }
  }

  /**
   * Moves the clock past a version seen from a peer. Returns false (and observes nothing) when the
   * version's wall time is more than δ ahead of this node's clock.
   */
  observe(v: Version): boolean {
    if (v.hlc <= this.last) return true
    const now = Math.floor(this.clock.now())
    const limit = (now - HLC_EPOCH_MS + this.maxSkewMs) * COUNTER_SPAN + HLC_COUNTER_MAX
    if (v.hlc <= limit) {
      this.last = v.hlc
      return true
    }
    this.refused++
    const first = now - this.lastRefusedAt > SKEW_SUSPECT_HOLD_MS
    this.lastRefusedAt = now
    this.lastAheadMs = versionWallMs(v.hlc) - now
    if (first) this.onSkew?.(this.lastAheadMs)
    return false
  }

  skew(): ClockSkewReport {
    const suspected = this.clock.now() - this.lastRefusedAt <= SKEW_SUSPECT_HOLD_MS
    return { suspected, aheadMs: suspected ? this.lastAheadMs : 0, refused: this.refused, toleranceMs: this.maxSkewMs }
  }
}

/** FNV-1a 32-bit hash of a node id: the version tie-break. */
export function nodeTieBreak(id: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
