/**
 * Hybrid logical clock: versions that follow wall time but never go backwards on a node, and move
 * past any version the node has seen from others (`observe`), so an overwrite always outranks what
 * the writer could have read.
 */

import type { Clock } from './clock.js'
import { HLC_COUNTER_BITS, HLC_COUNTER_MAX, HLC_EPOCH_MS, MAX_FUTURE_SKEW_MS, type Version } from './version.js'

const COUNTER_SPAN = 2 ** HLC_COUNTER_BITS

export class HybridLogicalClock {
  private last = 0
  private readonly clock: Clock
  private readonly node: number

  constructor(components: { clock: Clock }, init: { nodeTieBreak: number }) {
    this.clock = components.clock
    this.node = init.nodeTieBreak >>> 0
  }

  /** A new version, strictly greater than every version issued or observed here. */
  next(): Version {
    const wall = Math.max(0, Math.floor(this.clock.now()) - HLC_EPOCH_MS) * COUNTER_SPAN
    this.last = wall > this.last ? wall : this.last + 1
    return { hlc: this.last, node: this.node }
  }

  /** Moves the clock past a version seen from a peer (bounded: a far-future version is ignored). */
  observe(v: Version, maxSkewMs = MAX_FUTURE_SKEW_MS): void {
    const limit = (Math.floor(this.clock.now()) - HLC_EPOCH_MS + maxSkewMs) * COUNTER_SPAN + HLC_COUNTER_MAX
    if (v.hlc > this.last && v.hlc <= limit) this.last = v.hlc
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
