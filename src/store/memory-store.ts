/**
 * MemoryStore: the node's in-memory expiring store (RecordStore).
 *
 * - Lookup: Map from the key's byte string (byte-key.ts) to a slot number.
 * - Order: a SlotKeyIndex (B+tree) over the same byte strings, so listing is O(log n + page) in UTF-8 byte
 *   order; it knows each slot's leaf, so an expiry removes its entry without a descent from the root.
 * - Metadata: a SlotTable (paged typed arrays, a record's fields interleaved); the expiry instant in the
 *   ExpiryWheel; value bytes in a ValueArena. Per record: a Map entry, the key string, an index entry and
 *   64 B of typed arrays (+ an 8 B arena header): ~150–170 B beyond key and value bytes, as measured by
 *   scripts/store-memory.ts (heap + external, 100k × 1 KiB and 1M × 100 B).
 * - Expiry: every read compares the instant with `clock.now()`, so nothing is returned at or after it.
 *   Memory is reclaimed by a Sweeper draining the wheel every SWEEP_INTERVAL_MS in bounded slices: work
 *   proportional to what expired, never a scan; the arena's compactions take what time a slice has left.
 *   Each record leaves with exactly one event: 'expired' (reclaimed, or dropped by `delete` past its
 *   instant) or 'deleted' (dropped live by `delete`).
 * - `get` returns a zero-copy view of the arena (valid even after the record changes). Do not mutate it.
 * - `size` and `bytes` include records past their instant that the sweep has not reclaimed yet (normally
 *   one wheel bucket plus one sweep interval's worth); every read path still hides them.
 */
import { EventEmitter } from 'node:events'
import { ExpiryWheel } from '../expiry/expiry-wheel.js'
import { SWEEP_SLICE_MS, Sweeper } from '../expiry/sweeper.js'
import type { Clock } from '../shared/clock.js'
import { createLogger, type Logger } from '../shared/logger.js'
import type { Version } from '../shared/version.js'
import { fromByteKey, ownedByteKey, toByteKey } from './byte-key.js'
import type { RecordMeta, StoredRecord } from './record.js'
import { SlotKeyIndex } from './slot-key-index.js'
import { SlotTable } from './slot-table.js'
import type { ListPage, ListQuery, PutOutcome, RecordStore, StoreEvents } from './types.js'
import { ValueArena } from './value-arena.js'

/** Records reclaimed between two checks of the slice deadline: amortises `performance.now()` while overshooting a slice by well under 1 ms. */
const SWEEP_BATCH = 256

export interface MemoryStoreComponents {
  clock: Clock
  logger?: Logger
}

export interface MemoryStoreInit {
  /** Cap on payload (value) bytes; 0 = none. */
  maxBytes?: number
  /** How often to reclaim expired records (default SWEEP_INTERVAL_MS). */
  sweepIntervalMs?: number
}

export class MemoryStore implements RecordStore {
  readonly maxBytes: number
  private readonly clock: Clock
  private readonly log: Logger
  private readonly events = new EventEmitter()
  private readonly slots = new Map<string, number>()
  private readonly index = new SlotKeyIndex()
  private readonly table = new SlotTable()
  private readonly wheel = new ExpiryWheel()
  private readonly arena = new ValueArena()
  private readonly sweeper: Sweeper
  private readonly batch: number[] = []
  private payloadBytes = 0

  constructor(components: MemoryStoreComponents, init: MemoryStoreInit = {}) {
    this.clock = components.clock
    this.log = components.logger ?? createLogger('repram:store')
    this.maxBytes = init.maxBytes ?? 0
    this.sweeper = new Sweeper({ sweepSlice: (deadline) => this.sweepSlice(deadline) }, { intervalMs: init.sweepIntervalMs })
  }

  get size(): number {
    return this.slots.size
  }

  get bytes(): number {
    return this.payloadBytes
  }

  /** Bytes of value memory held by the arena (≥ bytes: headers, uncompacted dead space, chunk tails). */
  get arenaBytes(): number {
    return this.arena.reservedBytes
  }

  put(rec: StoredRecord): PutOutcome {
    return this.putRecord(rec, true)
  }

  private putRecord(rec: StoredRecord, mayReclaim: boolean): PutOutcome {
    const now = this.clock.now()
    if (!(rec.expiresAt > now)) return 'expired'
    let slot = this.slots.get(toByteKey(rec.key))
    let held = 0
    if (slot !== undefined) {
      // Also while the held record is expired but not yet swept: it still stands for its key until it
      // has left (and, through 'expired', been remembered by whoever guards against older copies).
      if (this.table.compareVersion(slot, rec.version) >= 0) return 'stale'
      if (this.wheel.expiryOf(slot) > now) {
        held = this.arena.length(slot)
      } else {
        this.expireNow([slot])
        slot = undefined
      }
    }
    const size = rec.value.byteLength
    if (this.maxBytes > 0 && this.payloadBytes - held + size > this.maxBytes) {
      // Reclaim what has already expired before refusing (one bounded slice), then decide once more.
      return mayReclaim && this.reclaimSlice() > 0 ? this.putRecord(rec, false) : 'full'
    }
    if (slot === undefined) {
      const key = ownedByteKey(rec.key)
      slot = this.table.alloc(key)
      this.slots.set(key, slot)
      this.index.set(key, slot)
    } else {
      this.arena.free(slot)
    }
    this.arena.alloc(slot, rec.value)
    this.table.set(slot, rec.version, rec.createdAt, rec.ttlSeconds)
    this.wheel.schedule(slot, rec.expiresAt)
    this.payloadBytes += size - held
    return 'stored'
  }

  get(key: string): StoredRecord | undefined {
    const slot = this.liveSlot(key)
    if (slot === undefined) return undefined
    const t = this.table
    return {
      key,
      version: t.version(slot),
      createdAt: t.createdAtOf(slot),
      ttlSeconds: t.ttlSecondsOf(slot),
      expiresAt: this.wheel.expiryOf(slot),
      size: this.arena.length(slot),
      value: this.arena.view(slot),
    }
  }

  /** The version `put` compares against: the held record's, live or expired but not yet reclaimed. */
  versionOf(key: string): Version | undefined {
    const slot = this.slots.get(toByteKey(key))
    return slot === undefined ? undefined : this.table.version(slot)
  }

  meta(key: string): RecordMeta | undefined {
    const slot = this.liveSlot(key)
    return slot === undefined ? undefined : this.metaOf(slot, key)
  }

  list(query: ListQuery): ListPage {
    const now = this.clock.now()
    const prefix = query.prefix === undefined ? '' : toByteKey(query.prefix)
    const after = query.after === undefined ? undefined : toByteKey(query.after)
    const limit = query.limit >= 1 ? Math.floor(query.limit) : 1
    const keys: string[] = []
    let more = false
    const fromAfter = after !== undefined && after >= prefix
    this.index.scan(fromAfter ? after : prefix, !fromAfter, (key, slot) => {
      if (!key.startsWith(prefix)) return false
      if (!(this.wheel.expiryOf(slot) > now)) return true
      if (keys.length === limit) {
        more = true
        return false
      }
      keys.push(fromByteKey(key))
      return true
    })
    return { keys, more }
  }

  *metas(): IterableIterator<RecordMeta> {
    for (const [key, slot] of this.index.entries()) {
      // The store may have changed since this part of the index was read: check the slot still holds it.
      if (this.table.keyOf(slot) !== key || !(this.wheel.expiryOf(slot) > this.clock.now())) continue
      yield this.metaOf(slot, fromByteKey(key))
    }
  }

  on<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void {
    this.events.on(event, listener)
  }

  off<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void {
    this.events.off(event, listener)
  }

  start(): void {
    this.sweeper.start()
  }

  stop(): void {
    this.sweeper.stop()
  }

  /** Reclaims every record expired at `clock.now()` (unbounded; the timer uses slices); returns how many. */
  sweep(): number {
    const count = this.sweepUntil(Number.POSITIVE_INFINITY).count
    const current: number[] = []
    this.wheel.drainCurrent(this.clock.now(), current)
    this.expireNow(current)
    this.arena.compact()
    return count + current.length
  }

  /** Reclaims, within one sweep slice of time, what has expired by now (current bucket included). */
  private reclaimSlice(): number {
    const count = this.sweepUntil(performance.now() + SWEEP_SLICE_MS).count
    const current: number[] = []
    this.wheel.drainCurrent(this.clock.now(), current)
    this.expireNow(current)
    return count + current.length
  }

  /**
   * One bounded slice of sweeping (the Sweeper's callback): expiries first, then, with the time left,
   * the value arena's queued compactions (which never delay an expiry). True when more is already due.
   */
  sweepSlice(deadline: number): boolean {
    if (this.sweepUntil(deadline).more) return true
    return this.arena.compactionBacklog > 0 && this.arena.compact(deadline)
  }

  private sweepUntil(deadline: number): { count: number; more: boolean } {
    const now = this.clock.now()
    let count = 0
    for (;;) {
      this.batch.length = 0
      const n = this.wheel.drain(now, SWEEP_BATCH, this.batch)
      this.expireNow(this.batch)
      count += n
      if (n < SWEEP_BATCH) return { count, more: false }
      if (performance.now() >= deadline) return { count, more: true }
    }
  }

  /** Removes the records in `slots`, then emits 'expired' for each (after, so listeners see a consistent store). */
  private expireNow(slots: readonly number[]): void {
    const emit = this.events.listenerCount('expired') > 0
    const metas: RecordMeta[] = []
    for (const slot of slots) {
      if (emit) metas.push(this.metaOf(slot, fromByteKey(this.table.keyOf(slot) as string)))
      this.remove(slot)
    }
    for (const meta of metas) {
      try {
        this.events.emit('expired', meta)
      } catch (err) {
        this.log.error('an expired listener threw', { err: err as Error })
      }
    }
  }

  /**
   * Removes `key` now (added for the mesh: a node that is no longer one of a key's replicas drops its
   * copy after handing it on): 'deleted' for a live record, 'expired' for one past its instant that the
   * sweep had not reclaimed yet (so every record leaves with exactly one event). True when something was removed.
   */
  delete(key: string): boolean {
    const slot = this.slots.get(toByteKey(key))
    if (slot === undefined) return false
    if (!(this.wheel.expiryOf(slot) > this.clock.now())) {
      this.expireNow([slot])
      return true
    }
    const meta = this.events.listenerCount('deleted') > 0 ? this.metaOf(slot, key) : undefined
    this.remove(slot)
    if (meta) this.events.emit('deleted', meta)
    return true
  }

  /** Forgets the record in `slot` everywhere: lookup, index, value, schedule, slot. */
  private remove(slot: number): void {
    const key = this.table.keyOf(slot) as string
    this.slots.delete(key)
    this.index.deleteSlot(key, slot)
    this.payloadBytes -= this.arena.length(slot)
    this.arena.free(slot)
    this.wheel.cancel(slot)
    this.table.release(slot)
  }

  private liveSlot(key: string): number | undefined {
    const slot = this.slots.get(toByteKey(key))
    if (slot === undefined || !(this.wheel.expiryOf(slot) > this.clock.now())) return undefined
    return slot
  }

  private metaOf(slot: number, key: string): RecordMeta {
    return {
      key,
      version: this.table.version(slot),
      createdAt: this.table.createdAtOf(slot),
      ttlSeconds: this.table.ttlSecondsOf(slot),
      expiresAt: this.wheel.expiryOf(slot),
      size: this.arena.length(slot),
    }
  }
}
