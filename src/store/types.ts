/**
 * The contract of a node's in-memory expiring store. Pure: no network, no timers it doesn't own, time
 * read through the injected clock. The facade, the local replicator and the mesh all use only this.
 */
import type { Version } from '../shared/version.js'
import type { RecordMeta, StoredRecord } from './record.js'

/**
 * - stored: the record is now the current version of its key here
 * - stale: a newer (or equal) version is already held; nothing changed
 * - expired: the record's expiry is at or before now; nothing changed
 * - full: accepting it would exceed the storage cap; nothing changed
 */
export type PutOutcome = 'stored' | 'stale' | 'expired' | 'full'

export interface ListQuery {
  /** Only keys starting with this prefix (byte-wise on UTF-8). */
  prefix?: string
  /** Only keys strictly after this one in UTF-8 byte order. */
  after?: string
  /** At most this many keys (≥ 1). */
  limit: number
}

export interface ListPage {
  keys: string[]
  /** True when more matching keys follow the last one returned. */
  more: boolean
}

export interface StoreEvents {
  /** A record left the store because its TTL ran out (not an overwrite). */
  expired: (meta: RecordMeta) => void
  /** A live record was dropped by `delete` (a handoff: it lives on elsewhere). */
  deleted: (meta: RecordMeta) => void
}

export interface RecordStore {
  /**
   * Inserts or overwrites when `rec` is newer than what is held (see `compareVersions`), including a
   * record past its instant that has not left yet: 'stale' for an older or equal version.
   */
  put(rec: StoredRecord): PutOutcome
  /** The live record, or undefined when absent or expired at `clock.now()`. */
  get(key: string): StoredRecord | undefined
  /** As get, without the value. */
  meta(key: string): RecordMeta | undefined
  /** The version `put` compares against (the held record's, live or expired but not yet reclaimed). */
  versionOf(key: string): Version | undefined
  /** Live keys in UTF-8 byte order; O(log n + page). */
  list(query: ListQuery): ListPage
  /** Every live record's metadata, in key order (handoff, repair, directory sync). */
  metas(): IterableIterator<RecordMeta>
  /** Number of live keys. */
  readonly size: number
  /** Payload bytes held (values only). */
  readonly bytes: number
  /** Cap on payload bytes, 0 = none. */
  readonly maxBytes: number
  on<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void
  off<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void
  start(): void
  stop(): void
}
