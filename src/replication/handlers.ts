/**
 * The inbound side of store, fetch and directory: `(peer, request) → response`, no streams. What a
 * peer pushes is checked (limits, lifetime ≤ its TTL, not superseded by a version we remember) before
 * the store sees it; every outcome is a status in the response.
 */

import { DIRECTORY_PAGE_ENTRIES } from '../../protocols/ids.js'
import {
  type DirectoryRequest,
  type DirectoryResponse,
  DirectoryStatus,
  type FetchRequest,
  type FetchResponse,
  FetchStatus,
  type StoreRequest,
  type StoreResponse,
  StoreStatus,
} from '../../protocols/messages.js'
import { MAX_TRACKED_PEERS } from '../shared/bounded-map.js'
import type { Clock } from '../shared/clock.js'
import { KeyedTokenBuckets } from '../shared/token-bucket.js'
import { versionWallMs } from '../shared/version.js'
import type { RecordStore } from '../store/types.js'
import type { Directory } from './directory.js'
import { fromWire, invalidReason, type RecordLimits, toWire, wireVersion } from './record-codec.js'
import type { VersionFloor } from './version-floor.js'

export interface HandlerComponents {
  clock: Clock
  store: RecordStore
  floor: VersionFloor
  directory: Directory
}

/** Bytes per second one peer may push to us over the store protocol (burst 2×, at least one max-size value). */
export const DEFAULT_STORE_BYTES_PER_PEER_PER_SECOND = 64 * 1024 * 1024

export interface HandlerInit {
  enclave: string
  /** Store-protocol bytes/s per peer; 0 = unlimited. */
  storeBytesPerPeerPerSecond?: number
  limits: RecordLimits
  /** False while stopping: pushes are refused so a leaving node gathers nothing new. */
  accepting: () => boolean
  /** Called after a pushed record became this replica's current version. */
  onStored?: (key: string, handoff: boolean) => void
}

export class ReplicaHandlers {
  /** Store bytes per peer (undefined: unlimited); the burst holds at least one max-size value. */
  private readonly budgets: KeyedTokenBuckets<string> | undefined

  constructor(
    private readonly c: HandlerComponents,
    private readonly init: HandlerInit,
  ) {
    const rate = init.storeBytesPerPeerPerSecond ?? DEFAULT_STORE_BYTES_PER_PEER_PER_SECOND
    const burst = Math.max(rate * 2, init.limits.maxValueBytes + init.limits.maxKeyBytes)
    this.budgets = rate > 0 ? new KeyedTokenBuckets({ ratePerSecond: rate, burst, maxKeys: MAX_TRACKED_PEERS }) : undefined
  }

  store = (peer: string, req: StoreRequest): StoreResponse => {
    if (!this.init.accepting()) return { status: StoreStatus.STORE_REFUSED, message: 'stopping' }
    if (req.enclave !== this.init.enclave) return { status: StoreStatus.STORE_REFUSED, message: 'wrong enclave' }
    const w = req.record
    if (!w) return { status: StoreStatus.STORE_INVALID, message: 'no record' }
    if (!this.spend(peer, w.value.byteLength + Buffer.byteLength(w.key))) return { status: StoreStatus.STORE_REFUSED, message: 'rate limited' }
    const why = invalidReason(w, this.init.limits)
    if (why) return { status: StoreStatus.STORE_INVALID, message: why }
    if (w.remainingMs <= 0n) return { status: StoreStatus.STORE_EXPIRED, message: '' }
    const now = this.c.clock.now()
    if (this.c.floor.supersedes(w.key, wireVersion(w), now)) return { status: StoreStatus.STORE_STALE, message: '' }
    const rec = fromWire(w, now)
    switch (this.c.store.put(rec)) {
      case 'stored':
        this.c.floor.observe(rec.key, rec.version, now)
        this.init.onStored?.(rec.key, req.handoff)
        return { status: StoreStatus.STORE_OK, message: '' }
      case 'stale':
        return { status: StoreStatus.STORE_STALE, message: '' }
      case 'expired':
        return { status: StoreStatus.STORE_EXPIRED, message: '' }
      case 'full':
        return { status: StoreStatus.STORE_FULL, message: '' }
    }
  }

  /** Token bucket per peer on store bytes: what one peer can make us hold per second is bounded. */
  private spend(peer: string, bytes: number): boolean {
    return this.budgets === undefined || this.budgets.take(peer, bytes, this.c.clock.now())
  }

  fetch = (_peer: string, req: FetchRequest): FetchResponse => {
    if (req.enclave !== this.init.enclave) return { status: FetchStatus.FETCH_REFUSED }
    const now = this.c.clock.now()
    const rec = req.metaOnly ? this.c.store.meta(req.key) : this.c.store.get(req.key)
    if (!rec || rec.expiresAt <= now) return { status: FetchStatus.FETCH_NOT_FOUND }
    return { status: FetchStatus.FETCH_FOUND, record: toWire(rec, now, req.metaOnly) }
  }

  directory = (_peer: string, req: DirectoryRequest): DirectoryResponse => {
    if (req.enclave !== this.init.enclave) return { status: DirectoryStatus.DIRECTORY_REFUSED, entries: [], more: false }
    const now = this.c.clock.now()
    const limit = Math.max(1, Math.min(req.limit || DIRECTORY_PAGE_ENTRIES, DIRECTORY_PAGE_ENTRIES))
    const page = this.c.directory.page(req.after, limit, now)
    return {
      status: DirectoryStatus.DIRECTORY_OK,
      more: page.more,
      entries: page.entries.map((e) => ({
        key: e.key,
        hlc: BigInt(e.version.hlc),
        node: e.version.node,
        remainingMs: BigInt(Math.max(0, Math.floor(e.expiresAt - now))),
        size: e.size,
        // A TTL that, counted from the version's wall time, reaches the entry's expiry (the receiver clamps to it).
        ttlSeconds: Math.min(this.init.limits.maxTtlSeconds, Math.max(1, Math.ceil((e.expiresAt - versionWallMs(e.version.hlc)) / 1000))),
      })),
    }
  }
}
