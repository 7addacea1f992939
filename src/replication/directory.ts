/**
 * The mesh-wide directory: metadata (version, expiry, size) of every live key of this node's enclave,
 * learnt from gossip announcements, from this node's own writes and from a peer's directory when
 * joining late. It feeds `list`; it never makes a value readable (reads ask replicas). Bounded: past
 * `maxEntries` new keys are refused and counted. Entries leave at their expiry (an expiry wheel
 * reclaims them; listings also skip anything already expired).
 *
 * What this node's own store holds is not copied here: given the store, `upsert` skips a key the store
 * holds at the same or a newer version and a later-or-equal expiry, a key the store drops (handoff)
 * enters the directory then, and `list`/`page` merge the store's keys with the directory's. So a mesh of
 * one keeps no directory at all, and a node of a larger mesh only the keys it does not hold.
 *
 * Memory: like the store, no object per entry. An entry is a slot number: its byte key in a slot array
 * and the B+tree, its version and size in paged typed arrays (hlc in a Float64Column, node and size
 * interleaved in a Uint32Column), its expiry in the wheel: ~70 B beyond the key's bytes.
 */
import { ExpiryWheel } from '../expiry/expiry-wheel.js'
import type { Clock } from '../shared/clock.js'
import { Float64Column, Uint32Column } from '../shared/columns.js'
import { compareVersions, type Version } from '../shared/version.js'
import { fromByteKey, ownedByteKey, toByteKey } from '../store/byte-key.js'
import { KeyIndex } from '../store/key-index.js'
import type { RecordMeta } from '../store/record.js'
import type { ListPage, ListQuery } from '../store/types.js'
import { mergePages } from './listing-merge.js'

/** Keys the directory holds; ~70 B each beyond the key's bytes, so the default costs ≲ 100 MiB at worst. */
export const DEFAULT_DIRECTORY_ENTRIES = 1_000_000
/** Sweep period while started (reclaims expired entries; listings skip them anyway). */
export const DIRECTORY_SWEEP_MS = 250
/** How many expired entries one sweep reclaims (keeps a sweep short). */
const SWEEP_BATCH = 10_000

export interface DirectoryEntryView {
  key: string
  version: Version
  expiresAt: number
  size: number
}

/** What the directory needs of this node's store. */
export interface LocalKeys {
  meta(key: string): RecordMeta | undefined
  list(query: ListQuery): ListPage
  on(event: 'deleted', listener: (meta: RecordMeta) => void): void
}

export class Directory {
  private readonly local: LocalKeys | undefined
  private index = new KeyIndex<number>()
  private wheel = new ExpiryWheel()
  /** The byte key of each slot; undefined when free. */
  private keys: Array<string | undefined> = []
  private hlcs = new Float64Column()
  /** node tie-break at 2s, value size at 2s + 1. */
  private nodeSize = new Uint32Column()
  private free: number[] = []
  private readonly maxEntries: number
  private readonly clock: Clock | undefined
  private timer: NodeJS.Timeout | undefined
  refused = 0

  constructor(components: { store?: LocalKeys; clock?: Clock } = {}, init: { maxEntries?: number } = {}) {
    this.maxEntries = init.maxEntries ?? DEFAULT_DIRECTORY_ENTRIES
    this.local = components.store
    const clock = components.clock
    this.clock = clock
    // A key handed off (dropped by this node) is still live elsewhere: it enters the directory.
    if (this.local && clock) this.local.on('deleted', (m) => this.upsert(m.key, m.version, m.expiresAt, m.size, clock.now()))
  }

  /** Sweeps expired entries every DIRECTORY_SWEEP_MS (needs the clock). */
  start(): void {
    const clock = this.clock
    if (this.timer || !clock) return
    this.timer = setInterval(() => this.sweep(clock.now()), DIRECTORY_SWEEP_MS)
    this.timer.unref()
  }

  /** Stops sweeping and forgets every entry (a stopped node's view of the mesh is stale by its next start). */
  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.clear()
  }

  /** Keys held here that this node's store does not hold. */
  get size(): number {
    return this.index.size
  }

  /** Adds or refreshes a key; false when the entry is older than what is held, expired, or the cap is hit. */
  upsert(key: string, version: Version, expiresAt: number, size: number, now: number): boolean {
    if (expiresAt <= now) return false
    const bk = toByteKey(key)
    const cur = this.index.get(bk)
    const held = this.local?.meta(key)
    if (held) {
      const order = compareVersions(held.version, version)
      // The store's copy is newer, or as new and lives as long: it lists the key. An older entry here
      // would outlive it, so it goes.
      if (order > 0 || (order === 0 && held.expiresAt >= expiresAt)) {
        if (cur !== undefined && this.compareHeld(cur, held.version) < 0) this.release(cur)
        return order === 0
      }
    }
    if (cur !== undefined) {
      if (this.wheel.expiryOf(cur) > now && this.compareHeld(cur, version) >= 0) return false
      this.write(cur, version, size)
      this.wheel.schedule(cur, expiresAt)
      return true
    }
    if (this.index.size >= this.maxEntries) {
      this.refused++
      return false
    }
    const owned = ownedByteKey(key)
    let id = this.free.pop()
    if (id === undefined) {
      id = this.keys.push(owned) - 1
      this.hlcs.ensure(id)
      this.nodeSize.ensure(2 * id + 1)
    } else this.keys[id] = owned
    this.write(id, version, size)
    this.index.set(owned, id)
    this.wheel.schedule(id, expiresAt)
    return true
  }

  /** The newest live entry for `key`, from this node's store or the directory. */
  get(key: string, now: number): DirectoryEntryView | undefined {
    const m = this.local?.meta(key)
    const id = this.index.get(toByteKey(key))
    const expiresAt = id === undefined ? 0 : this.wheel.expiryOf(id)
    const d = id !== undefined && expiresAt > now ? { key, version: this.versionOf(id), expiresAt, size: this.nodeSize.get(2 * id + 1) } : undefined
    if (m && (!d || compareVersions(m.version, d.version) >= 0)) return { key, version: m.version, expiresAt: m.expiresAt, size: m.size }
    return d
  }

  /** Live keys mesh-wide (this node's store and the directory), O(log n + page). */
  list(query: ListQuery, now: number): ListPage {
    const limit = query.limit >= 1 ? Math.floor(query.limit) : 1
    const own = this.listOwn({ ...query, limit }, now)
    return this.local ? mergePages(this.local.list({ ...query, limit }), own, limit) : own
  }

  private listOwn(query: ListQuery, now: number): ListPage {
    const prefix = query.prefix === undefined ? '' : toByteKey(query.prefix)
    const after = query.after === undefined ? undefined : toByteKey(query.after)
    const start = after !== undefined && after >= prefix ? after : prefix
    const inclusive = !(after !== undefined && after >= prefix)
    const keys: string[] = []
    let more = false
    this.index.scan(start === '' ? undefined : start, inclusive, (bk, id) => {
      if (!bk.startsWith(prefix)) return false
      if (!inclusive && bk === start) return true // the empty key, when the cursor is ''
      if (this.wheel.expiryOf(id) <= now) return true
      if (keys.length >= query.limit) {
        more = true
        return false
      }
      keys.push(fromByteKey(bk))
      return true
    })
    return { keys, more }
  }

  /** Live entries after `after` (exclusive), at most `limit`, for a late joiner's sync: the store's and the directory's. */
  page(after: string | undefined, limit: number, now: number): { entries: DirectoryEntryView[]; more: boolean } {
    const own = this.pageOwn(after, limit, now)
    if (!this.local) return own
    const local = this.local.list({ after: after === '' ? undefined : after, limit })
    const merged = mergePages(local, { keys: own.entries.map((e) => e.key), more: own.more }, limit)
    const mine = new Map(own.entries.map((e) => [e.key, e]))
    const entries: DirectoryEntryView[] = []
    for (const key of merged.keys) {
      const m = this.local.meta(key)
      const d = mine.get(key)
      // Newest version wins when both hold the key.
      if (m && (!d || compareVersions(m.version, d.version) >= 0)) entries.push({ key, version: m.version, expiresAt: m.expiresAt, size: m.size })
      else if (d) entries.push(d)
    }
    return { entries, more: merged.more }
  }

  private pageOwn(after: string | undefined, limit: number, now: number): { entries: DirectoryEntryView[]; more: boolean } {
    const entries: DirectoryEntryView[] = []
    let more = false
    const start = after === undefined || after === '' ? undefined : toByteKey(after)
    this.index.scan(start, false, (bk, id) => {
      const expiresAt = this.wheel.expiryOf(id)
      if (expiresAt <= now) return true
      if (entries.length >= limit) {
        more = true
        return false
      }
      entries.push({ key: fromByteKey(bk), version: this.versionOf(id), expiresAt, size: this.nodeSize.get(2 * id + 1) })
      return true
    })
    return { entries, more }
  }

  /** Reclaims expired entries. */
  sweep(now: number): number {
    const out: number[] = []
    this.wheel.drain(now, SWEEP_BATCH, out)
    for (const id of out) this.release(id)
    return out.length
  }

  private release(id: number): void {
    const bk = this.keys[id]
    if (bk === undefined) return
    this.index.delete(bk)
    this.wheel.cancel(id)
    this.keys[id] = undefined
    this.free.push(id)
  }

  clear(): void {
    this.index = new KeyIndex<number>()
    this.wheel = new ExpiryWheel()
    this.keys = []
    this.hlcs = new Float64Column()
    this.nodeSize = new Uint32Column()
    this.free = []
  }

  private write(id: number, version: Version, size: number): void {
    this.hlcs.set(id, version.hlc)
    this.nodeSize.set(2 * id, version.node)
    this.nodeSize.set(2 * id + 1, size)
  }

  private versionOf(id: number): Version {
    return { hlc: this.hlcs.get(id), node: this.nodeSize.get(2 * id) }
  }

  /** Like `compareVersions(held, v)` for slot `id`, without allocating. */
  private compareHeld(id: number, v: Version): number {
    const hlc = this.hlcs.get(id)
    if (hlc !== v.hlc) return hlc < v.hlc ? -1 : 1
    const node = this.nodeSize.get(2 * id)
    if (node !== v.node) return node < v.node ? -1 : 1
    return 0
  }
}
