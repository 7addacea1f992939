/**
 * The writer-side truth: every write the workload issued, what the node answered (201 acknowledged,
 * 202 pending, an error, or nothing yet), its version (ETag) and its expires_at. The invariant checker
 * and the replica monitor judge what nodes say against it. Bounded: entries are pruned once they can
 * no longer matter (long expired and superseded).
 */
import { compareVersions, etagToVersion, type Version } from '../../src/shared/version.js'

export interface WriteEntry {
  readonly id: number
  readonly key: string
  readonly node: string
  readonly pattern: string
  readonly ttlMs: number
  readonly digest: string
  readonly size: number
  /** ms: just before the call. */
  readonly issuedAt: number
  /** ms: when the answer came (undefined while in flight). */
  doneAt?: number
  status?: number
  etag?: string
  version?: Version
  /** Writer-side expiry from the answer, ms. */
  expiresAt?: number
}

/** Grace before a superseded or expired entry is forgotten: longer than any read in flight. */
export const LEDGER_RETENTION_MS = 60_000

export function isAcked(w: WriteEntry): boolean {
  return w.status === 201
}

/**
 * Latest instant the write could still be live: its answer's expires_at; for a write with no usable
 * answer (error, timeout, in flight), its answer time (or `now`) plus its TTL, since the node stamped
 * it no later than that.
 */
export function expiryBound(w: WriteEntry, now: number): number {
  if (w.expiresAt !== undefined) return w.expiresAt
  return (w.doneAt ?? now) + w.ttlMs
}

/** Earliest instant the write can expire: its expires_at, else issue time plus TTL (the node stamped it later). */
export function expiryFloor(w: WriteEntry): number {
  return w.expiresAt ?? w.issuedAt + w.ttlMs
}

/** Version order; falls back to real-time order (a write answered before another was issued is older). */
export function olderThan(a: WriteEntry, b: WriteEntry): boolean {
  if (a.version && b.version) return compareVersions(a.version, b.version) < 0
  return a.doneAt !== undefined && a.doneAt < b.issuedAt
}

export class Ledger {
  private readonly byIdMap = new Map<number, WriteEntry>()
  private readonly byKeyMap = new Map<string, WriteEntry[]>()
  private nextId = 1

  /** Reserves the id a value will carry; call `record` with it before issuing the write. */
  reserveId(): number {
    return this.nextId++
  }

  record(init: Omit<WriteEntry, 'doneAt' | 'status' | 'etag' | 'version' | 'expiresAt'>): WriteEntry {
    const w: WriteEntry = { ...init }
    this.byIdMap.set(w.id, w)
    const list = this.byKeyMap.get(w.key)
    if (list) list.push(w)
    else this.byKeyMap.set(w.key, [w])
    return w
  }

  finish(w: WriteEntry, answer: { status: number; etag?: string; expiresAt?: number }, now: number): void {
    w.doneAt = now
    w.status = answer.status
    if (answer.etag !== undefined) {
      w.etag = answer.etag
      w.version = etagToVersion(answer.etag)
    }
    if (answer.expiresAt !== undefined) w.expiresAt = answer.expiresAt
  }

  byId(id: number): WriteEntry | undefined {
    return this.byIdMap.get(id)
  }

  writes(key: string): readonly WriteEntry[] {
    return this.byKeyMap.get(key) ?? []
  }

  /** The newest (by version) write of `key` acknowledged strictly before `t`: what a read started at `t` must see. */
  required(key: string, t: number): WriteEntry | undefined {
    let best: WriteEntry | undefined
    for (const w of this.writes(key)) {
      if (!isAcked(w) || w.doneAt === undefined || w.doneAt >= t) continue
      if (!best || olderThan(best, w)) best = w
    }
    return best
  }

  /** Latest instant any write of `key` could still be live. */
  lastPossibleExpiry(key: string, now: number): number {
    let t = 0
    for (const w of this.writes(key)) t = Math.max(t, expiryBound(w, now))
    return t
  }

  /**
   * Keys certainly live at `t` (a write acknowledged at least `settleMs` before `t`, not expiring
   * before `t + marginMs`) and keys possibly live (any write that might not have expired by `t`).
   */
  liveKeys(t: number, marginMs: number, settleMs = 0): { certain: number; possible: number } {
    let certain = 0
    let possible = 0
    for (const [, list] of this.byKeyMap) {
      let c = false
      let p = false
      for (const w of list) {
        if (isAcked(w) && w.doneAt !== undefined && w.doneAt <= t - settleMs && expiryFloor(w) > t + marginMs) c = true
        if (expiryBound(w, t) > t) p = true
      }
      if (c) certain++
      if (p) possible++
    }
    return { certain, possible }
  }

  /** Forgets entries that can no longer be required, returned or counted. */
  prune(now: number): void {
    for (const [key, list] of this.byKeyMap) {
      const keep = list.filter((w) => w.doneAt === undefined || expiryBound(w, now) + LEDGER_RETENTION_MS > now)
      for (const w of list) if (!keep.includes(w)) this.byIdMap.delete(w.id)
      if (keep.length === 0) this.byKeyMap.delete(key)
      else if (keep.length !== list.length) this.byKeyMap.set(key, keep)
    }
  }

  get size(): number {
    return this.byIdMap.size
  }
}
