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
import { type Version, versionWallMs } from '../shared/version.js'
import type { RecordStore } from '../store/types.js'
import type { Directory } from './directory.js'
import { staleAgainst } from './push-outcome.js'
import { fromWire, invalidReason, type RecordLimits, toWire, wireVersion } from './record-codec.js'
import type { VersionFloor } from './version-floor.js'

export interface HandlerComponents {
  clock: Clock
  store: RecordStore
  floor: VersionFloor
  directory: Directory
  /** The node's version clock: it observes every version pushed to us (absent in some unit tests). */
  hlc?: { observe(v: Version): boolean }
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
    if (!this.init.accepting()) return storeAnswer(StoreStatus.STORE_REFUSED, 'stopping')
    if (req.enclave !== this.init.enclave) return storeAnswer(StoreStatus.STORE_REFUSED, 'wrong enclave')
    const w = req.record
    if (!w) return storeAnswer(StoreStatus.STORE_INVALID, 'no record')
    if (!this.spend(peer, w.value.byteLength + Buffer.byteLength(w.key))) return storeAnswer(StoreStatus.STORE_REFUSED, 'rate limited')
    const now = this.c.clock.now()
    const why = invalidReason(w, this.init.limits, false, now)
    if (why) {
      // A version from beyond the skew tolerance is refused; the clock counts it (skew is reported).
      if (w.hlc <= BigInt(Number.MAX_SAFE_INTEGER)) this.c.hlc?.observe(wireVersion(w))
      return storeAnswer(StoreStatus.STORE_INVALID, why)
    }
    if (w.remainingMs <= 0n) return storeAnswer(StoreStatus.STORE_EXPIRED, '')
    const version = wireVersion(w)
    this.c.hlc?.observe(version)
    if (this.c.floor.supersedes(w.key, version, now)) return stale(this.c.floor.remembered(w.key, now))
    const rec = fromWire(w, now)
    switch (this.c.store.put(rec)) {
      case 'stored':
        this.c.floor.observe(rec.key, rec.version, now)
        this.init.onStored?.(rec.key, req.handoff)
        return storeAnswer(StoreStatus.STORE_OK, '')
      case 'stale': {
        // Already this version (a repeated push): held, so OK. A newer one: STALE, naming it.
        const current = staleAgainst(this.c.store, rec.key, version)
        return current === 'held' ? storeAnswer(StoreStatus.STORE_OK, '') : stale(current)
      }
      case 'expired':
        return storeAnswer(StoreStatus.STORE_EXPIRED, '')
      case 'full':
        return storeAnswer(StoreStatus.STORE_FULL, '')
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

function storeAnswer(status: StoreStatus, message: string): StoreResponse {
  return { status, message, currentHlc: 0n, currentNode: 0 }
}

/** A STALE answer carrying the version that beat the pushed one (when known). */
function stale(current: Version | undefined): StoreResponse {
  return { status: StoreStatus.STORE_STALE, message: '', currentHlc: BigInt(current?.hlc ?? 0), currentNode: current?.node ?? 0 }
}
