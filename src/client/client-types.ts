/**
 * The shapes the typed client speaks in: options of each call and what each returns. Times are ms
 * since the epoch, TTLs whole seconds, as in the gateway's headers and JSON.
 */
import type { PutResult } from '../node/types.js'

export interface RepramClientInit {
  /** Per-request deadline, ms (default DEFAULT_CLIENT_TIMEOUT_MS). */
  timeoutMs?: number
  /** Another fetch implementation (e.g. one bound to a proxy dispatcher); the global one by default. */
  fetch?: typeof fetch
}

export interface CallOptions {
  signal?: AbortSignal
  /** Overrides the client's deadline for this call, ms. */
  timeoutMs?: number
}

export interface ClientPutOptions extends CallOptions {
  /** Requested TTL, whole seconds; the gateway clamps it and reports the TTL applied. Absent → its default. */
  ttl?: number
}

/** What a PUT answers (the gateway's body carries no ETag). */
export type ClientPutResult = Omit<PutResult, 'etag'>

export interface ClientRecordInfo {
  key: string
  /** ms since the epoch (X-Created-At). */
  createdAt: number
  /** TTL applied at write, seconds (X-Original-TTL). */
  originalTtl: number
  /** Seconds left when the gateway answered, floored (X-Remaining-TTL). */
  remainingTtl: number
  /** createdAt + originalTtl, ms since the epoch. */
  expiresAt: number
  /** The value's version (ETag, quoted). */
  etag: string
  /** Value size, bytes. */
  size: number
}

export interface ClientRecord extends ClientRecordInfo {
  value: Uint8Array
}

export interface ClientListOptions extends CallOptions {
  prefix?: string
  limit?: number
  /** Keys strictly after this one (a previous page's nextCursor). */
  cursor?: string
}

export interface ClientListResult {
  keys: string[]
  /** Present only when more keys remain. */
  nextCursor?: string
}

export interface ListAllOptions extends CallOptions {
  prefix?: string
  /** Keys per request (default DEFAULT_LIST_PAGE_SIZE). */
  pageSize?: number
}
