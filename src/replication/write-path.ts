/**
 * The write path: push the record to its R' replicas in parallel (this node's store when it is one),
 * answer once W = ⌊R'/2⌋+1 hold it (201), or at the write timeout with fewer (202; the retry queue
 * keeps going), or InsufficientStorageError when every replica refused for lack of room (507).
 * The first confirmation announces the write on gossip — unless every member of the mesh is one of
 * its replicas (a mesh no larger than R): then nobody needs the announcement (each lists the key from
 * its own store), and it is sent only if, once every push answered, some replica does not hold it.
 * A write no replica holds yet is announced by the retry queue once one does.
 * Only replicas whose current version became this one count towards W: a replica that holds a newer
 * version answers 'stale' and names it, and the outcome carries the newest such version so the facade
 * can write again past it (a 'stale' answer never makes a 201).
 * After a recent loss of members (a death, or a partition: the same from here), W is counted over the
 * key's voters — its replicas under the view before the loss (Placement.votersFor) — and only the
 * voters among the replicas count: a minority side of a partition answers 202, not 201.
 */
import { STORE_TIMEOUT_MS } from '../../protocols/ids.js'
import type { WriteOutcome } from '../node/replicator.js'
import type { Placement } from '../placement/placement.js'
import { InsufficientStorageError } from '../shared/errors.js'
import { compareVersions, type Version } from '../shared/version.js'
import type { StoredRecord } from '../store/record.js'
import type { Announcements } from './announcements.js'
import { accepted, holds, type PushOutcome } from './push-outcome.js'
import type { Pusher } from './pusher.js'
import type { RetryQueue } from './retry-queue.js'

export class WritePath {
  constructor(private readonly c: { placement: Placement; pusher: Pusher; retry: RetryQueue; announcements: Announcements }) {}

  write(rec: StoredRecord, options: { signal?: AbortSignal; timeoutMs: number }): Promise<WriteOutcome> {
    const replicas = this.c.placement.replicasFor(rec.key)
    const n = replicas.length
    const voters = this.c.placement.votersFor(rec.key)
    if (n === 1 && replicas[0].self && !voters) return this.writeAlone(rec)
    const quorum = Math.floor((voters?.count ?? n) / 2) + 1
    /** Replicas whose current version is this one: they count towards W. */
    const confirmed = new Set<string>()
    /** Replicas that hold this version or a newer one: nothing more to push to them. */
    const holders = new Set<string>()
    let answered = 0
    let full = 0
    let superseded: Version | undefined
    const onStale = (v: Version): void => {
      if (!superseded || compareVersions(v, superseded) > 0) superseded = v
    }
    // Nobody lacks the record once all replicas hold it: skip the announcement (gossip costs every node).
    const quiet = this.c.placement.everyMemberIsReplica()
    let announced = false
    return new Promise<WriteOutcome>((resolve, reject) => {
      let settled = false
      const settle = (err?: Error): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        if (err) reject(err)
        else resolve({ replicas: n, confirmed: confirmed.size, quorum, superseded: confirmed.size >= quorum ? undefined : superseded })
      }
      const timer = setTimeout(() => settle(), options.timeoutMs)
      options.signal?.addEventListener('abort', () => settle(), { once: true })
      const pushOptions = { handoff: false, timeoutMs: Math.max(options.timeoutMs, STORE_TIMEOUT_MS), onStale }
      const pushes = replicas.map(async (r) => {
        const o: PushOutcome = r.self ? this.c.pusher.pushLocal(rec, false, onStale) : await this.c.pusher.push(r.peerId, rec, pushOptions)
        answered++
        if (accepted(o) && (!voters || voters.reachable.has(r.peerId))) confirmed.add(r.peerId)
        if (holds(o)) {
          holders.add(r.peerId)
          if (!announced && !quiet) {
            announced = true
            this.c.announcements.announce(rec)
          }
        } else if (o === 'full') full++
        if (confirmed.size >= quorum) settle()
        else if (answered === n) settle(full === n ? new InsufficientStorageError() : undefined)
      })
      void Promise.all(pushes).then(() => {
        if (quiet && holders.size > 0 && holders.size < n) this.c.announcements.announce(rec)
        if (holders.size < n && full < n) this.c.retry.add(rec, holders)
      })
    })
  }

  /** This node is the key's only replica (a mesh of one): the store's answer is the write's, no timer, no promise chain. */
  private writeAlone(rec: StoredRecord): Promise<WriteOutcome> {
    let superseded: Version | undefined
    const o = this.c.pusher.pushLocal(rec, false, (v) => {
      superseded = v
    })
    if (accepted(o)) {
      this.c.announcements.announce(rec)
      return Promise.resolve({ replicas: 1, confirmed: 1, quorum: 1 })
    }
    if (o === 'full') return Promise.reject(new InsufficientStorageError())
    if (superseded) return Promise.resolve({ replicas: 1, confirmed: 0, quorum: 1, superseded })
    this.c.retry.add(rec, new Set())
    return Promise.resolve({ replicas: 1, confirmed: 0, quorum: 1 })
  }
}
