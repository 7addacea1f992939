/**
 * ValueArena: value bytes for dense integer slots, packed into large chunks instead of one ArrayBuffer
 * per value (each costs ~200 B of V8/Node bookkeeping) and copied in, so a stored value never pins the
 * caller's buffer (a request body, or an 8 KiB Buffer pool slab shared with unrelated data).
 *
 * Log-structured: a value is appended to the active chunk behind an 8-byte header (slot, length) and a
 * chunk's bytes are written once, never overwritten. Freeing only lowers the chunk's live count (a chunk
 * with nothing live is dropped at once); a chunk whose live part falls below ARENA_COMPACT_LIVE_RATIO is
 * queued for compaction: its live values are copied to the active chunk (found by walking the headers)
 * and the chunk is dropped to the GC. So memory stays within 1/ratio of the live bytes plus the queue,
 * at an amortised copy of ≤ ratio/(1-ratio) bytes per freed byte, and with no size-class rounding.
 *
 * Compaction is lazy: the owner runs the queue when it has time (`compact(deadline)`: the store does
 * after each sweep slice's expiries), and `alloc` runs it only past ARENA_COMPACT_BACKLOG_CHUNKS. In a
 * mass expiry most queued chunks empty out while they wait and are dropped without a copy, and the
 * copies that remain never delay an expiry.
 *
 * Because bytes are never rewritten, `view` can hand out zero-copy views: a view stays valid (and keeps
 * its chunk alive) even after the value is overwritten, expired or moved. Callers must not mutate it.
 */
import { Uint32Column } from '../shared/columns.js'

/** Chunk size: per-chunk costs (buffer bookkeeping, the tail left when the next value doesn't fit) vanish per value, and compacting one copies ≤ 0.5 MiB. */
export const ARENA_CHUNK_BYTES = 1024 * 1024
/** Values above this get a buffer of their own: its fixed cost is < 2% of the value, and the tail a value can waste at the end of a chunk stays < 2% of it. */
export const ARENA_LARGE_VALUE_BYTES = 16 * 1024
/** Compact a chunk once less than half of it is live: bounds waste to the live size, copying ≤ 1 byte per byte freed. */
export const ARENA_COMPACT_LIVE_RATIO = 0.5
/** Queued chunks past which `alloc` compacts by itself: caps the waste a backlog adds (≤ this many chunks) if the owner never finds time. */
export const ARENA_COMPACT_BACKLOG_CHUNKS = 16

const HEADER_BYTES = 8
const NO_CHUNK = 0xffffffff

class Chunk {
  used = 0
  live = 0
  id = -1
  queued = false
  constructor(
    readonly buf: Buffer,
    readonly large: boolean,
  ) {}
}

export interface ValueArenaInit {
  chunkBytes?: number
  largeValueBytes?: number
  compactLiveRatio?: number
  compactBacklogChunks?: number
}

export class ValueArena {
  private readonly chunkBytes: number
  private readonly largeValueBytes: number
  private readonly compactLiveRatio: number
  private readonly compactBacklogChunks: number
  /** chunk id, offset, length of slot s at 3s…3s+2 (interleaved: one cache line per lookup). */
  private readonly loc = new Uint32Column(NO_CHUNK)
  private readonly chunks: Array<Chunk | undefined> = []
  private readonly freeChunkIds: number[] = []
  /** Chunks waiting for compaction (a dropped one stays until its turn, then is skipped). */
  private readonly compactQueue: Chunk[] = []
  private compacting = false
  private active = NO_CHUNK
  private reserved = 0
  private live = 0

  constructor(init: ValueArenaInit = {}) {
    this.chunkBytes = init.chunkBytes ?? ARENA_CHUNK_BYTES
    this.largeValueBytes = Math.min(init.largeValueBytes ?? ARENA_LARGE_VALUE_BYTES, this.chunkBytes - HEADER_BYTES)
    this.compactLiveRatio = init.compactLiveRatio ?? ARENA_COMPACT_LIVE_RATIO
    this.compactBacklogChunks = init.compactBacklogChunks ?? ARENA_COMPACT_BACKLOG_CHUNKS
  }

  /** Chunks queued for compaction. */
  get compactionBacklog(): number {
    return this.compactQueue.length
  }

  /**
   * Compacts queued chunks until `deadline` (a `performance.now()` value; checked after each chunk) or
   * the queue is empty; true when some are left.
   */
  compact(deadline = Number.POSITIVE_INFINITY): boolean {
    if (this.compacting) return this.compactQueue.length > 0
    this.compacting = true
    try {
      while (this.compactQueue.length > 0) {
        const chunk = this.compactQueue.pop() as Chunk
        chunk.queued = false
        if (this.chunks[chunk.id] === chunk) this.compactChunk(chunk)
        if (performance.now() >= deadline) break
      }
    } finally {
      this.compacting = false
    }
    return this.compactQueue.length > 0
  }

  /** Bytes of chunk memory held (live values, headers, dead space not yet compacted, unused tails). */
  get reservedBytes(): number {
    return this.reserved
  }

  /** Bytes of live values. */
  get valueBytes(): number {
    return this.live
  }

  /** Number of chunks held. */
  get chunkCount(): number {
    return this.chunks.length - this.freeChunkIds.length
  }

  /** Stores a copy of `value` for `slot`, which must hold no value (free it first). */
  alloc(slot: number, value: Uint8Array): void {
    if (slot * 3 + 2 >= this.loc.capacity) {
      this.loc.ensure(slot * 3 + 2)
    } else if (this.loc.get(slot * 3) !== NO_CHUNK) {
      throw new Error(`slot ${slot} already holds a value`)
    }
    const len = value.byteLength
    this.live += len
    if (len > this.largeValueBytes) {
      const buf = Buffer.allocUnsafeSlow(len)
      buf.set(value)
      const chunk = new Chunk(buf, true)
      chunk.used = chunk.live = len
      this.place(slot, this.addChunk(chunk), 0, len)
    } else {
      this.append(slot, value)
    }
    if (this.compactQueue.length > this.compactBacklogChunks && !this.compacting) {
      this.compacting = true
      try {
        while (this.compactQueue.length > this.compactBacklogChunks >>> 1) {
          const chunk = this.compactQueue.pop() as Chunk
          chunk.queued = false
          if (this.chunks[chunk.id] === chunk) this.compactChunk(chunk)
        }
      } finally {
        this.compacting = false
      }
    }
  }

  /** Drops the value of `slot` (no-op if it holds none). */
  free(slot: number): void {
    if (!this.has(slot)) return
    const id = this.loc.get(slot * 3)
    const chunk = this.chunks[id] as Chunk
    const len = this.loc.get(slot * 3 + 2)
    this.loc.set(slot * 3, NO_CHUNK)
    this.live -= len
    if (chunk.large) {
      this.dropChunk(id)
      return
    }
    chunk.live -= len + HEADER_BYTES
    if (id !== this.active) this.considerCompaction(id)
  }

  /** Length of the value of `slot` (0 if none). */
  length(slot: number): number {
    return this.has(slot) ? this.loc.get(slot * 3 + 2) : 0
  }

  has(slot: number): boolean {
    return slot * 3 < this.loc.capacity && this.loc.get(slot * 3) !== NO_CHUNK
  }

  /** A zero-copy, read-only-by-contract view of the value of `slot`; valid forever, even after free. */
  view(slot: number): Buffer {
    const at = slot * 3
    const buf = (this.chunks[this.loc.get(at)] as Chunk).buf
    // Buffer.from(arrayBuffer, …) makes the view directly: cheaper than subarray's species lookup.
    return Buffer.from(buf.buffer, buf.byteOffset + this.loc.get(at + 1), this.loc.get(at + 2))
  }

  private place(slot: number, chunkId: number, offset: number, len: number): void {
    this.loc.set(slot * 3, chunkId)
    this.loc.set(slot * 3 + 1, offset)
    this.loc.set(slot * 3 + 2, len)
  }

  /** Appends a small value behind its header in the active chunk, opening a new one when full. */
  private append(slot: number, value: Uint8Array): void {
    const need = value.byteLength + HEADER_BYTES
    const chunk = this.room(need)
    const at = chunk.used
    chunk.buf.writeUInt32LE(slot, at)
    chunk.buf.writeUInt32LE(value.byteLength, at + 4)
    chunk.buf.set(value, at + HEADER_BYTES)
    chunk.used += need
    chunk.live += need
    this.place(slot, this.active, at + HEADER_BYTES, value.byteLength)
  }

  /** The active chunk, with room for `need` more bytes (a new one when the current one is full). */
  private room(need: number): Chunk {
    let chunk = this.active === NO_CHUNK ? undefined : this.chunks[this.active]
    if (!chunk || chunk.used + need > chunk.buf.length) {
      if (chunk) this.considerCompaction(this.active)
      chunk = new Chunk(Buffer.allocUnsafeSlow(this.chunkBytes), false)
      this.active = this.addChunk(chunk)
    }
    return chunk
  }

  private considerCompaction(id: number): void {
    if (id === this.active) return
    const chunk = this.chunks[id] as Chunk
    if (chunk.live === 0) this.dropChunk(id)
    else if (chunk.live < chunk.used * this.compactLiveRatio && !chunk.queued) {
      chunk.queued = true
      this.compactQueue.push(chunk)
    }
  }

  /**
   * Moves the live values of `chunk` to the active chunk and drops it. Each is copied with its header
   * in one `copy` (no view object per value).
   */
  private compactChunk(chunk: Chunk): void {
    const id = chunk.id
    const buf = chunk.buf
    const loc = this.loc
    for (let pos = 0; pos < chunk.used; ) {
      const slot = buf.readUInt32LE(pos)
      const need = buf.readUInt32LE(pos + 4) + HEADER_BYTES
      if (loc.get(slot * 3) === id && loc.get(slot * 3 + 1) === pos + HEADER_BYTES) {
        const to = this.room(need)
        buf.copy(to.buf, to.used, pos, pos + need)
        loc.set(slot * 3, this.active)
        loc.set(slot * 3 + 1, to.used + HEADER_BYTES)
        to.used += need
        to.live += need
      }
      pos += need
    }
    this.dropChunk(id)
  }

  private addChunk(chunk: Chunk): number {
    this.reserved += chunk.buf.length
    const id = this.freeChunkIds.pop() ?? this.chunks.length
    this.chunks[id] = chunk
    chunk.id = id
    return id
  }

  private dropChunk(id: number): void {
    const chunk = this.chunks[id] as Chunk
    this.reserved -= chunk.buf.length
    this.chunks[id] = undefined
    // A chunk that emptied while queued for compaction leaves the queue now, so its buffer is not held
    // until the queue's turn comes (during a long mass expiry the sweep may not leave time for it).
    if (chunk.queued) {
      chunk.queued = false
      const at = this.compactQueue.indexOf(chunk)
      if (at !== -1) this.compactQueue.splice(at, 1)
    }
    this.freeChunkIds.push(id)
    if (id === this.active) this.active = NO_CHUNK
  }
}
