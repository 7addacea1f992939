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
import type { Clock } from '../node/clock.js'
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

export interface HandlerInit {
  enclave: string
  limits: RecordLimits
  /** False while stopping: pushes are refused so a leaving node gathers nothing new. */
  accepting: () => boolean
  /** Called after a pushed record became this replica's current version. */
  onStored?: (key: string, handoff: boolean) => void
}

export class ReplicaHandlers {
  constructor(
    private readonly c: HandlerComponents,
    private readonly init: HandlerInit,
  ) {}

  store = (_peer: string, req: StoreRequest): StoreResponse => {
    if (!this.init.accepting()) return { status: StoreStatus.STORE_REFUSED, message: 'stopping' }
    if (req.enclave !== this.init.enclave) return { status: StoreStatus.STORE_REFUSED, message: 'wrong enclave' }
    const w = req.record
    if (!w) return { status: StoreStatus.STORE_INVALID, message: 'no record' }
    const why = invalidReason(w, this.init.limits)
    if (why) return { status: StoreStatus.STORE_INVALID, message: why }
    if (w.remainingMs <= 0n) return { status: StoreStatus.STORE_EXPIRED, message: '' }
    const now = this.c.clock.now()
    if (this.c.floor.supersedes(w.key, wireVersion(w), now)) return { status: StoreStatus.STORE_STALE, message: '' }
    const rec = fromWire(w, now)
    switch (this.c.store.put(rec)) {
      case 'stored':
        this.c.floor.observe(rec.key, rec.version, rec.createdAt)
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
        ttlSeconds: Math.max(1, Math.ceil((e.expiresAt - now) / 1000)),
      })),
    }
  }
}
