/**
 * Background replication: a write that did not reach all of its replicas within the write timeout
 * (or a push that failed) stays here and is pushed again with backoff to whichever replicas the key
 * has by then, until they all hold it or it expires. Bounded by entries and bytes: past the cap the
 * oldest entry is dropped and counted (logged), never an unbounded buffer.
 */

import type { Placement } from '../placement/placement.js'
import type { Clock } from '../shared/clock.js'
import type { Logger } from '../shared/logger.js'
import type { StoredRecord } from '../store/record.js'
import { holds } from './push-outcome.js'
import type { Pusher } from './pusher.js'

export const DEFAULT_RETRY_MAX_ENTRIES = 10_000
/** Values held for retry; beyond this the oldest are dropped (the record still lives on ≥ 1 replica). */
export const DEFAULT_RETRY_MAX_BYTES = 64 * 1024 * 1024
export const RETRY_MIN_DELAY_MS = 200
export const RETRY_MAX_DELAY_MS = 5_000

interface Entry {
  rec: StoredRecord
  holders: Set<string>
  dueAt: number
  delay: number
  busy: boolean
  /** No replica held the record when it was queued, so nobody announced it yet. */
  unannounced: boolean
}

/**
 * `rec` with a value that owns its memory: a value that is a view into a larger buffer (a request body is
 * a slice of Node's shared 8 KiB pool) would keep that whole buffer alive for as long as it waits here,
 * and the byte bound counts only the value's own bytes.
 */
function owned(rec: StoredRecord): StoredRecord {
  const v = rec.value
  return v.byteLength === v.buffer.byteLength ? rec : { ...rec, value: new Uint8Array(v) }
}

export class RetryQueue {
  private readonly entries = new Map<string, Entry>()
  private bytes = 0
  private timer: NodeJS.Timeout | undefined
  dropped = 0

  constructor(
    private readonly c: {
      clock: Clock
      logger: Logger
      placement: Placement
      pusher: Pusher
      /** Announces a write that no replica held when it was queued, once one does (the write path could not). */
      announce?: (rec: StoredRecord) => void
    },
    private readonly init: { maxEntries?: number; maxBytes?: number; tickMs?: number } = {},
  ) {}

  get size(): number {
    return this.entries.size
  }

  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => this.tick(), this.init.tickMs ?? RETRY_MIN_DELAY_MS)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.entries.clear()
    this.bytes = 0
  }

  add(rec: StoredRecord, holders: Iterable<string>): void {
    const old = this.entries.get(rec.key)
    if (old) {
      if (old.rec.version.hlc > rec.version.hlc || (old.rec.version.hlc === rec.version.hlc && old.rec.version.node >= rec.version.node)) return
      this.bytes -= old.rec.size
      this.entries.delete(rec.key)
    }
    const held = new Set(holders)
    this.entries.set(rec.key, {
      rec: owned(rec),
      holders: held,
      dueAt: this.c.clock.now() + RETRY_MIN_DELAY_MS,
      delay: RETRY_MIN_DELAY_MS,
      busy: false,
      unannounced: held.size === 0,
    })
    this.bytes += rec.size
    const maxEntries = this.init.maxEntries ?? DEFAULT_RETRY_MAX_ENTRIES
    const maxBytes = this.init.maxBytes ?? DEFAULT_RETRY_MAX_BYTES
    while (this.entries.size > maxEntries || this.bytes > maxBytes) {
      const [k, e] = this.entries.entries().next().value as [string, Entry]
      this.entries.delete(k)
      this.bytes -= e.rec.size
      this.dropped++
      this.c.logger.warn('background replication queue full: dropped the oldest pending record', { dropped: this.dropped })
    }
  }

  private tick(): void {
    const now = this.c.clock.now()
    for (const [key, e] of this.entries) {
      if (e.busy || e.dueAt > now) continue
      if (e.rec.expiresAt <= now) {
        this.remove(key, e)
        continue
      }
      const targets = this.c.placement.replicasFor(key).filter((r) => !e.holders.has(r.peerId))
      if (targets.length === 0) {
        this.remove(key, e)
        continue
      }
      e.busy = true
      Promise.all(
        targets.map(async (t) => {
          const o = await this.c.pusher.push(t.peerId, e.rec, { handoff: false })
          if (holds(o) || o === 'expired' || o === 'invalid') e.holders.add(t.peerId)
          if (holds(o) && e.unannounced) {
            e.unannounced = false
            this.c.announce?.(e.rec)
          }
        }),
      ).finally(() => {
        e.busy = false
        e.delay = Math.min(e.delay * 2, RETRY_MAX_DELAY_MS)
        e.dueAt = this.c.clock.now() + e.delay
        if (this.c.placement.replicasFor(key).every((r) => e.holders.has(r.peerId))) this.remove(key, e)
      })
    }
  }

  private remove(key: string, e: Entry): void {
    if (this.entries.get(key) !== e) return
    this.entries.delete(key)
    this.bytes -= e.rec.size
  }
}
