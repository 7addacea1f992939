/**
 * A stored record: its key, version, lifetime and value. The version concept itself (ordering, ETag,
 * HLC layout) is src/shared/version.ts.
 */
import type { Version } from '../shared/version.js'

export interface RecordMeta {
  /** The key as a JS string (valid Unicode; its UTF-8 bytes are what limits and ordering use). */
  readonly key: string
  readonly version: Version
  /** When the writer accepted the write, ms since the Unix epoch. */
  readonly createdAt: number
  /** The effective TTL the writer applied, seconds (X-Original-TTL). */
  readonly ttlSeconds: number
  /** Absolute expiry on this node's clock, ms. Never returned at or after this instant. */
  readonly expiresAt: number
  /** Value length in bytes. */
  readonly size: number
}

export interface StoredRecord extends RecordMeta {
  readonly value: Uint8Array
}
