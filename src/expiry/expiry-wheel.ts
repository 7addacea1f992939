/**
 * ExpiryWheel: a bucketed timer over dense integer ids (slots). Each id has one expiry instant; ids are
 * kept in per-bucket intrusive doubly-linked lists (links in a paged Int32 column), buckets are found through a Map
 * and ordered by a min-heap of bucket numbers. So scheduling, rescheduling (an overwrite refreshing a
 * TTL) and cancelling are O(1) plus O(log buckets) for a new bucket, and `drain` does work proportional
 * to what expires: it never scans live ids. Rescheduling unlinks the id from its old bucket, so an old
 * bucket can never expire a refreshed id early.
 *
 * An id is drained once its whole bucket lies in the past, i.e. at most `granularityMs` after its
 * instant (plus however often the owner drains). Readers must still compare the instant with the clock
 * themselves; the wheel only decides when memory is reclaimed. Reused by the mesh's key directory.
 */
import { Float64Column, Int32Column } from '../shared/columns.js'

/** Bucket width: the most an id waits past its instant before it can be drained; 50 ms keeps reclaim prompt while a bucket gathers many ids (≤ 1.8M buckets even for a 24 h TTL range). */
export const EXPIRY_GRANULARITY_MS = 50

const UNSCHEDULED = -2
const NONE = -1

export interface ExpiryWheelInit {
  granularityMs?: number
}

export class ExpiryWheel {
  private readonly granularityMs: number
  /** The instant last scheduled for each id (kept after drain/cancel: owners use it as their expiry field). */
  private readonly at = new Float64Column(Number.NaN)
  /**
   * Bucket-list links of id i at 2i (next) and 2i+1 (previous: NONE for a bucket head, UNSCHEDULED when
   * in no bucket), interleaved so unlinking touches one cache line.
   */
  private readonly links = new Int32Column(UNSCHEDULED)
  /** Bucket number → first id, or NONE once cancels have emptied it (it stays until its turn in the heap). */
  private readonly heads = new Map<number, number>()
  /** Min-heap of the bucket numbers in `heads`. */
  private readonly heap: number[] = []
  private count = 0

  constructor(init: ExpiryWheelInit = {}) {
    this.granularityMs = init.granularityMs ?? EXPIRY_GRANULARITY_MS
    if (!(this.granularityMs > 0)) throw new RangeError('granularityMs must be > 0')
  }

  /** Number of scheduled ids. */
  get size(): number {
    return this.count
  }

  /** The instant last scheduled for `id` (NaN if never): still readable after it was drained or cancelled. */
  expiryOf(id: number): number {
    return id < this.at.capacity ? this.at.get(id) : Number.NaN
  }

  isScheduled(id: number): boolean {
    return 2 * id < this.links.capacity && this.links.get(2 * id + 1) !== UNSCHEDULED
  }

  /** Schedules `id` (a non-negative integer) to expire at `atMs`, replacing any earlier schedule of it. */
  schedule(id: number, atMs: number): void {
    if (2 * id >= this.links.capacity) this.grow(id)
    else if (this.links.get(2 * id + 1) !== UNSCHEDULED) this.unlink(id)
    this.at.set(id, atMs)
    const bucket = Math.floor(atMs / this.granularityMs)
    const head = this.heads.get(bucket)
    if (head === undefined) this.heapPush(bucket)
    const first = head ?? NONE
    this.links.set(2 * id, first)
    this.links.set(2 * id + 1, NONE)
    if (first !== NONE) this.links.set(2 * first + 1, id)
    this.heads.set(bucket, id)
    this.count++
  }

  /** Unschedules `id`; false if it was not scheduled. */
  cancel(id: number): boolean {
    if (!this.isScheduled(id)) return false
    this.unlink(id)
    return true
  }

  /** True when `drain(nowMs, …)` would return at least one id (or dispose of an emptied bucket). */
  hasDue(nowMs: number): boolean {
    return this.heap.length > 0 && (this.heap[0] + 1) * this.granularityMs <= nowMs
  }

  /** When the earliest bucket becomes drainable, or undefined when nothing is scheduled. */
  nextDueAt(): number | undefined {
    return this.heap.length > 0 ? (this.heap[0] + 1) * this.granularityMs : undefined
  }

  /**
   * Unschedules up to `max` ids whose bucket lies wholly before `nowMs` (so each instant is < nowMs),
   * earliest bucket first, appending them to `out`. Returns how many it appended; fewer than `max`
   * means nothing more is due at `nowMs`.
   */
  drain(nowMs: number, max: number, out: number[]): number {
    let n = 0
    while (n < max && this.hasDue(nowMs)) {
      const bucket = this.heap[0]
      let id = this.heads.get(bucket) ?? NONE
      while (id !== NONE && n < max) {
        const nx = this.links.get(2 * id)
        this.links.set(2 * id + 1, UNSCHEDULED)
        if (nx !== NONE) this.links.set(2 * nx + 1, NONE)
        out.push(id)
        n++
        id = nx
      }
      if (id !== NONE) {
        this.heads.set(bucket, id)
        break
      }
      this.heads.delete(bucket)
      this.heapPop()
    }
    this.count -= n
    return n
  }

  /**
   * Unschedules, into `out`, the ids of the bucket containing `nowMs` whose instant is ≤ nowMs (which
   * `drain` leaves until the bucket has passed). Walks that one bucket: for an exact reclaim on demand.
   */
  drainCurrent(nowMs: number, out: number[]): number {
    const bucket = Math.floor(nowMs / this.granularityMs)
    let id = this.heads.get(bucket) ?? NONE
    let n = 0
    while (id !== NONE) {
      const nx = this.links.get(2 * id)
      if (this.at.get(id) <= nowMs) {
        this.unlink(id)
        out.push(id)
        n++
      }
      id = nx
    }
    return n
  }

  private unlink(id: number): void {
    const p = this.links.get(2 * id + 1)
    const nx = this.links.get(2 * id)
    if (p === NONE) this.heads.set(Math.floor(this.at.get(id) / this.granularityMs), nx)
    else this.links.set(2 * p, nx)
    if (nx !== NONE) this.links.set(2 * nx + 1, p)
    this.links.set(2 * id + 1, UNSCHEDULED)
    this.count--
  }

  private grow(id: number): void {
    this.at.ensure(id)
    this.links.ensure(2 * id + 1)
  }

  private heapPush(bucket: number): void {
    const h = this.heap
    let i = h.push(bucket) - 1
    while (i > 0) {
      const parent = (i - 1) >>> 1
      if (h[parent] <= bucket) break
      h[i] = h[parent]
      i = parent
    }
    h[i] = bucket
  }

  private heapPop(): void {
    const h = this.heap
    const last = h.pop() as number
    if (h.length === 0) return
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= h.length) break
      const r = l + 1
      const c = r < h.length && h[r] < h[l] ? r : l
      if (h[c] >= last) break
      h[i] = h[c]
      i = c
    }
    h[i] = last
  }
}
