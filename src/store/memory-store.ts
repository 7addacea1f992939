/**
 * PLACEHOLDER (naive) implementation of RecordStore so the rest of the tree runs; to be replaced by
 * the real compact store with an ordered index and an expiry wheel. Same exported API.
 */
import { EventEmitter } from 'node:events'
import type { Clock } from '../node/clock.js'
import { compareVersions, type RecordMeta, type StoredRecord } from './record.js'
import type { ListPage, ListQuery, PutOutcome, RecordStore, StoreEvents } from './types.js'

export interface MemoryStoreInit {
  maxBytes?: number
  sweepIntervalMs?: number
}

function byteKey(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1')
}

export class MemoryStore implements RecordStore {
  private readonly map = new Map<string, StoredRecord>()
  private readonly events = new EventEmitter()
  private readonly clock: Clock
  private timer: NodeJS.Timeout | undefined
  private _bytes = 0
  readonly maxBytes: number
  private readonly sweepIntervalMs: number

  constructor(components: { clock: Clock }, init: MemoryStoreInit = {}) {
    this.clock = components.clock
    this.maxBytes = init.maxBytes ?? 0
    this.sweepIntervalMs = init.sweepIntervalMs ?? 250
  }

  get size(): number {
    return this.map.size
  }
  get bytes(): number {
    return this._bytes
  }

  put(rec: StoredRecord): PutOutcome {
    const now = this.clock.now()
    if (rec.expiresAt <= now) return 'expired'
    const old = this.map.get(rec.key)
    if (old && old.expiresAt > now && compareVersions(old.version, rec.version) >= 0) return 'stale'
    const oldBytes = old ? old.value.byteLength : 0
    if (this.maxBytes > 0 && this._bytes - oldBytes + rec.value.byteLength > this.maxBytes) return 'full'
    this._bytes += rec.value.byteLength - oldBytes
    this.map.set(rec.key, rec)
    return 'stored'
  }

  get(key: string): StoredRecord | undefined {
    const r = this.map.get(key)
    if (!r || r.expiresAt <= this.clock.now()) return undefined
    return r
  }

  meta(key: string): RecordMeta | undefined {
    return this.get(key)
  }

  list(query: ListQuery): ListPage {
    const now = this.clock.now()
    const prefix = query.prefix ?? ''
    const after = query.after === undefined ? undefined : byteKey(query.after)
    const keys = [...this.map.values()]
      .filter((r) => r.expiresAt > now && r.key.startsWith(prefix))
      .map((r) => [byteKey(r.key), r.key] as const)
      .filter(([b]) => after === undefined || b > after)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    return { keys: keys.slice(0, query.limit).map(([, k]) => k), more: keys.length > query.limit }
  }

  *metas(): IterableIterator<RecordMeta> {
    for (const k of this.list({ limit: Number.MAX_SAFE_INTEGER }).keys) {
      const r = this.map.get(k)
      if (r) yield r
    }
  }

  on<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void {
    this.events.on(event, listener)
  }
  off<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void {
    this.events.off(event, listener)
  }

  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => this.sweep(), this.sweepIntervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  sweep(): void {
    const now = this.clock.now()
    for (const [k, r] of this.map) {
      if (r.expiresAt <= now) {
        this.map.delete(k)
        this._bytes -= r.value.byteLength
        this.events.emit('expired', r)
      }
    }
  }
}
