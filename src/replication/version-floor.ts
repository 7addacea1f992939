/**
 * A bounded memo of the newest version of each key that LEFT this node's store (expired, or dropped
 * after a handoff), so an older copy replayed by handoff, repair or a stale replica is refused instead
 * of resurrected. While the store holds a key it guards it itself (its `put` refuses an older or equal
 * version, even of a record past its instant that the sweep has not reclaimed), so a live key costs
 * the floor nothing: entries are taken from the store's 'expired' and 'deleted' events.
 *
 * An entry lives until no older version of its key can still be alive anywhere: the maximum TTL after
 * it left (measured on our clock, never a peer's claim). Entries sit in a ring in the order they were
 * taken, which is also the order of their lapse instants: pruning and forgetting the oldest past the cap
 * are O(1) per entry, and an entry is a Map slot plus 24 B of typed array, no object.
 */
import type { Clock } from '../shared/clock.js'
import { Float64Column } from '../shared/columns.js'
import type { Version } from '../shared/version.js'
import type { RecordMeta } from '../store/record.js'
import type { StoreEvents } from '../store/types.js'

/** Keys remembered; ~100 B each (Map slot, ring slot, key string), so the default costs ≤ ~20 MiB. */
export const DEFAULT_VERSION_FLOOR_ENTRIES = 200_000
/** How often lapsed entries are pruned while started. */
export const VERSION_FLOOR_PRUNE_MS = 10_000
/** Entries pruned per `prune` call by default: bounds the time one timer tick holds the event loop. */
const PRUNE_BUDGET = 10_000

const STRIDE = 3
const HLC = 0
const NODE = 1
const UNTIL = 2

export interface VersionFloorComponents {
  /** The store whose departing records are remembered. */
  store: {
    on<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void
    off<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void
  }
  clock: Clock
}

export interface VersionFloorInit {
  maxTtlMs: number
  maxEntries?: number
}

export class VersionFloor {
  private readonly c: VersionFloorComponents
  private readonly maxEntries: number
  private readonly maxTtlMs: number
  /** Key → its absolute ring position (slot = position % maxEntries). */
  private readonly positions = new Map<string, number>()
  /** Ring of keys by slot; undefined once an entry was superseded or dropped before its turn. */
  private readonly ring: Array<string | undefined> = []
  /** hlc, node, until of ring slot s at 3s…3s+2. */
  private readonly fields = new Float64Column()
  /** Positions [tail, head) are in the ring. */
  private head = 0
  private tail = 0
  private started = false
  private timer: NodeJS.Timeout | undefined
  private readonly onLeft = (meta: RecordMeta): void => this.remember(meta.key, meta.version, this.c.clock.now())

  constructor(components: VersionFloorComponents, init: VersionFloorInit) {
    this.c = components
    this.maxTtlMs = init.maxTtlMs
    this.maxEntries = Math.max(1, init.maxEntries ?? DEFAULT_VERSION_FLOOR_ENTRIES)
  }

  get size(): number {
    return this.positions.size
  }

  start(): void {
    if (this.started) return
    this.started = true
    this.c.store.on('expired', this.onLeft)
    this.c.store.on('deleted', this.onLeft)
    this.timer = setInterval(() => this.prune(this.c.clock.now()), VERSION_FLOOR_PRUNE_MS)
    this.timer.unref()
  }

  stop(): void {
    if (!this.started) return
    this.started = false
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.c.store.off('expired', this.onLeft)
    this.c.store.off('deleted', this.onLeft)
  }

  /** Remembers that `version` of `key` left this node at `now`, unless a newer one is remembered. */
  remember(key: string, version: Version, now: number): void {
    const pos = this.positions.get(key)
    if (pos !== undefined) {
      if (this.compareAt(pos % this.maxEntries, version) >= 0) return
      this.ring[pos % this.maxEntries] = undefined
    }
    if (this.head - this.tail === this.maxEntries) this.dropTail()
    const slot = this.head % this.maxEntries
    const at = slot * STRIDE
    this.fields.ensure(at + STRIDE - 1)
    this.fields.set(at + HLC, version.hlc)
    this.fields.set(at + NODE, version.node)
    this.fields.set(at + UNTIL, now + this.maxTtlMs)
    this.ring[slot] = key
    this.positions.set(key, this.head++)
  }

  /**
   * `version` of `key` was stored here: the store guards the key from now on, so a remembered older
   * version is forgotten (a newer one, which the store could not know of, is kept).
   */
  observe(key: string, version: Version, _now?: number): void {
    if (this.positions.size === 0) return
    const pos = this.positions.get(key)
    if (pos === undefined || this.compareAt(pos % this.maxEntries, version) > 0) return
    this.ring[pos % this.maxEntries] = undefined
    this.positions.delete(key)
  }

  /** The version remembered for `key` while its entry lives, else undefined. */
  remembered(key: string, now: number): Version | undefined {
    const pos = this.positions.get(key)
    if (pos === undefined) return undefined
    const at = (pos % this.maxEntries) * STRIDE
    if (this.fields.get(at + UNTIL) <= now) return undefined
    return { hlc: this.fields.get(at + HLC), node: this.fields.get(at + NODE) }
  }

  /** True when a newer version than `version` is remembered for `key` (so `version` must not return). */
  supersedes(key: string, version: Version, now: number): boolean {
    if (this.positions.size === 0) return false
    const pos = this.positions.get(key)
    if (pos === undefined) return false
    const slot = pos % this.maxEntries
    if (this.fields.get(slot * STRIDE + UNTIL) <= now) {
      this.ring[slot] = undefined
      this.positions.delete(key)
      return false
    }
    return this.compareAt(slot, version) > 0
  }

  /** Drops entries whose protection has lapsed, oldest first (call now and then). */
  prune(now: number, budget = PRUNE_BUDGET): void {
    while (this.tail < this.head && budget-- > 0) {
      const slot = this.tail % this.maxEntries
      if (this.ring[slot] !== undefined && this.fields.get(slot * STRIDE + UNTIL) > now) return
      this.dropTail()
    }
  }

  /** Like `compareVersions(remembered at slot, v)`, without allocating. */
  private compareAt(slot: number, v: Version): number {
    const at = slot * STRIDE
    const hlc = this.fields.get(at + HLC)
    if (hlc !== v.hlc) return hlc < v.hlc ? -1 : 1
    const node = this.fields.get(at + NODE)
    return node === v.node ? 0 : node < v.node ? -1 : 1
  }

  private dropTail(): void {
    const slot = this.tail % this.maxEntries
    const key = this.ring[slot]
    if (key !== undefined) {
      this.positions.delete(key)
      this.ring[slot] = undefined
    }
    this.tail++
  }
}
