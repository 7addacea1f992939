/**
 * The mesh-wide directory: metadata (version, expiry, size) of every live key of this node's enclave,
 * learnt from gossip announcements, from this node's own writes and from a peer's directory when
 * joining late. It feeds `list`; it never makes a value readable (reads ask replicas). Bounded: past
 * `maxEntries` new keys are refused and counted. Entries leave at their expiry (an expiry wheel
 * reclaims them; listings also skip anything already expired).
 */
import { ExpiryWheel } from '../expiry/expiry-wheel.js'
import { fromByteKey, ownedByteKey, toByteKey } from '../store/byte-key.js'
import { KeyIndex } from '../store/key-index.js'
import { compareVersions, type Version } from '../store/record.js'
import type { ListPage, ListQuery } from '../store/types.js'

/** Keys the directory holds; ~150 B each, so the default costs ≲ 150 MiB at worst. */
export const DEFAULT_DIRECTORY_ENTRIES = 1_000_000
/** How many expired entries one sweep reclaims (keeps a sweep short). */
const SWEEP_BATCH = 10_000

export interface DirectoryEntryView {
  key: string
  version: Version
  expiresAt: number
  size: number
}

interface Slot {
  byteKey: string
  version: Version
  size: number
  id: number
}

export class Directory {
  private index = new KeyIndex<Slot>()
  private wheel = new ExpiryWheel()
  private readonly slots: Array<Slot | undefined> = []
  private readonly free: number[] = []
  private readonly maxEntries: number
  refused = 0

  constructor(init: { maxEntries?: number } = {}) {
    this.maxEntries = init.maxEntries ?? DEFAULT_DIRECTORY_ENTRIES
  }

  get size(): number {
    return this.index.size
  }

  /** Adds or refreshes a key; false when the entry is older than what is held, expired, or the cap is hit. */
  upsert(key: string, version: Version, expiresAt: number, size: number, now: number): boolean {
    if (expiresAt <= now) return false
    const bk = toByteKey(key)
    const cur = this.index.get(bk)
    if (cur) {
      const exp = this.wheel.expiryOf(cur.id)
      if (exp > now && compareVersions(cur.version, version) >= 0) return false
      cur.version = version
      cur.size = size
      this.wheel.schedule(cur.id, expiresAt)
      return true
    }
    if (this.index.size >= this.maxEntries) {
      this.refused++
      return false
    }
    const id = this.free.pop() ?? this.slots.length
    const slot: Slot = { byteKey: ownedByteKey(key), version, size, id }
    this.slots[id] = slot
    this.index.set(slot.byteKey, slot)
    this.wheel.schedule(id, expiresAt)
    return true
  }

  get(key: string, now: number): DirectoryEntryView | undefined {
    const s = this.index.get(toByteKey(key))
    if (!s) return undefined
    const expiresAt = this.wheel.expiryOf(s.id)
    if (expiresAt <= now) return undefined
    return { key, version: s.version, expiresAt, size: s.size }
  }

  list(query: ListQuery, now: number): ListPage {
    const prefix = query.prefix === undefined ? '' : toByteKey(query.prefix)
    const after = query.after === undefined ? undefined : toByteKey(query.after)
    const start = after !== undefined && after >= prefix ? after : prefix
    const inclusive = !(after !== undefined && after >= prefix)
    const keys: string[] = []
    let more = false
    this.index.scan(start === '' ? undefined : start, inclusive, (bk, s) => {
      if (!bk.startsWith(prefix)) return false
      if (this.wheel.expiryOf(s.id) <= now) return true
      if (keys.length >= query.limit) {
        more = true
        return false
      }
      keys.push(fromByteKey(bk))
      return true
    })
    return { keys, more }
  }

  /** Live entries after `after` (exclusive), at most `limit`, for a late joiner's sync. */
  page(after: string | undefined, limit: number, now: number): { entries: DirectoryEntryView[]; more: boolean } {
    const entries: DirectoryEntryView[] = []
    let more = false
    const start = after === undefined || after === '' ? undefined : toByteKey(after)
    this.index.scan(start, false, (bk, s) => {
      const expiresAt = this.wheel.expiryOf(s.id)
      if (expiresAt <= now) return true
      if (entries.length >= limit) {
        more = true
        return false
      }
      entries.push({ key: fromByteKey(bk), version: s.version, expiresAt, size: s.size })
      return true
    })
    return { entries, more }
  }

  /** Reclaims expired entries. */
  sweep(now: number): number {
    const out: number[] = []
    this.wheel.drain(now, SWEEP_BATCH, out)
    for (const id of out) {
      const s = this.slots[id]
      if (!s) continue
      this.index.delete(s.byteKey)
      this.slots[id] = undefined
      this.free.push(id)
    }
    return out.length
  }

  clear(): void {
    this.index = new KeyIndex<Slot>()
    this.wheel = new ExpiryWheel()
    this.slots.length = 0
    this.free.length = 0
  }
}
