/**
 * The read path: ask the key's replicas, closest first (this node's store first when it is one),
 * until R' − W + 1 have answered — so every read set overlaps every write quorum and a read after a
 * 201 sees the write from any node. A replica that is slow past the hedge delay, or fails, brings the
 * next one in. The newest unexpired version wins; replicas that answered with nothing or an older
 * version are repaired in the background (after a GET or a HEAD alike).
 * A miss asks every replica before it is a 404: nodes' membership views differ for a moment around
 * a join or a death, and a write acknowledged under the writer's view still has a copy on at least
 * one replica of any view that differs from it by one member — not always on the first R' − W + 1.
 * When every replica of our view missed, the next MISS_EXTRA_REPLICAS closest members are asked too
 * before a 404: they are the replicas under views that differ from ours by up to that many members
 * (a node that joined and that we do not know yet, one that died and that we still count). Misses
 * alone pay for it.
 * After a recent loss of members (a death or a partition, see Placement.votersFor), the count is over
 * the key's voters instead: only answers from voters count towards V − W + 1, and a miss that cannot
 * gather that many (the voters that could answer are behind the cut) is a 503, not a 404 — this node
 * cannot tell "never written" from "written on the other side". A hit is still served.
 */
import { FetchStatus } from '../../protocols/messages.js'
import type { Placement } from '../placement/placement.js'
import type { Clock } from '../shared/clock.js'
import { UnavailableError } from '../shared/errors.js'
import { compareVersions, type Version } from '../shared/version.js'
import type { StoredRecord } from '../store/record.js'
import type { RecordStore } from '../store/types.js'
import type { RepramProtocols } from '../wire/repram-protocols.js'
import type { WireEngine } from '../wire/wire-engine.js'
import type { Pusher } from './pusher.js'
import { fromWire, invalidReason, type RecordLimits } from './record-codec.js'
import type { ReplicationMetrics } from './replication-metrics.js'

/** Members beyond the R closest that a miss asks before it is a 404 (views that differ by this many members). */
export const MISS_EXTRA_REPLICAS = 2
/** Without an answer after this long, the next replica is asked too (hedging against one slow replica). */
export const DEFAULT_HEDGE_DELAY_MS = 50

interface Answer {
  peer: string
  rec: StoredRecord | undefined
}

export class ReadPath {
  constructor(
    private readonly c: {
      clock: Clock
      store: RecordStore
      placement: Placement
      wire: WireEngine
      protocols: RepramProtocols
      pusher: Pusher
      metrics: ReplicationMetrics
      /** The node's version clock: it observes every version a replica answers with. */
      hlc?: { observe(v: Version): boolean }
    },
    private readonly init: { enclave: string; limits: RecordLimits; hedgeDelayMs?: number },
  ) {}

  async read(key: string, options: { signal?: AbortSignal; metaOnly?: boolean }): Promise<StoredRecord | undefined> {
    const end = this.c.metrics.readLatency.startTimer()
    try {
      return await this.readInner(key, options)
    } finally {
      end()
    }
  }

  private readInner(key: string, options: { signal?: AbortSignal; metaOnly?: boolean }): Promise<StoredRecord | undefined> {
    const replicas = this.c.placement.replicasFor(key)
    const voters = this.c.placement.votersFor(key)
    const v = voters?.count ?? replicas.length
    const need = v - (Math.floor(v / 2) + 1) + 1
    const answers: Answer[] = []
    /** Answers that count towards `need`: every answer, or only the voters' after a recent loss. */
    let votes = 0
    const record = (a: Answer): void => {
      answers.push(a)
      if (!voters || voters.reachable.has(a.peer)) votes++
    }
    const order = [...replicas.filter((r) => r.self), ...replicas.filter((r) => !r.self)]
    const self = order[0]?.self ? order.shift() : undefined
    if (self) record({ peer: self.peerId, rec: this.c.store.get(key) })
    const hit = (): boolean => {
      const now = this.c.clock.now()
      return answers.some((a) => a.rec !== undefined && a.rec.expiresAt > now)
    }
    let widened = false
    // Every replica of our view missed: queue the members next in line (asked before a 404). False when there are none.
    const widen = (): boolean => {
      if (widened) return false
      widened = true
      const asked = new Set(answers.map((a) => a.peer))
      for (const r of this.c.placement.replicasFor(key, { count: replicas.length + MISS_EXTRA_REPLICAS })) if (!r.self && !asked.has(r.peerId)) order.push(r)
      return order.length > 0
    }
    /** Nothing left to ask: the answers so far decide (a miss without enough votes cannot be a 404). */
    const decide = (): StoredRecord | undefined => {
      if (answers.length === 0) throw new UnavailableError('No replica of this key answered.')
      const best = this.finish(answers, options.metaOnly)
      if (!best && votes < need)
        throw new UnavailableError('Too few of the replicas of this key answered to tell it is missing (a member was lost moments ago).')
      return best
    }
    if (votes >= need && (hit() || (order.length === 0 && !widen()))) return Promise.resolve(this.finish(answers, options.metaOnly))
    if (order.length === 0 && !widen()) {
      try {
        return Promise.resolve(decide())
      } catch (err) {
        return Promise.reject(err)
      }
    }
    return new Promise<StoredRecord | undefined>((resolve, reject) => {
      let inflight = 0
      let done = false
      let hedge: NodeJS.Timeout | undefined
      const complete = (): void => {
        if (done) return
        done = true
        if (hedge) clearTimeout(hedge)
        try {
          resolve(decide())
        } catch (err) {
          reject(err)
        }
      }
      const launch = (): void => {
        if (done) return
        if (order.length === 0) {
          if (inflight === 0 && !hit() && widen()) launch()
          else if (inflight === 0) complete()
          return
        }
        const r = order.shift()
        if (!r) return
        inflight++
        this.fetch(r.peerId, key, options)
          .then(
            (rec) => {
              record({ peer: r.peerId, rec })
            },
            () => {
              launch()
            },
          )
          .finally(() => {
            inflight--
            if (votes >= need && hit()) complete()
            else if (inflight === 0 && order.length === 0 && !hit() && widen()) launch()
            else if (inflight === 0 && order.length === 0) complete()
            // A quorum of misses: ask the next replica before answering 404.
            else if (votes >= need && inflight === 0) launch()
            // Too few votes yet and nothing in flight: ask the next one now.
            else if (inflight === 0) launch()
          })
      }
      const armHedge = (): void => {
        hedge = setTimeout(() => {
          if (done) return
          launch()
          if (order.length > 0) armHedge()
        }, this.init.hedgeDelayMs ?? DEFAULT_HEDGE_DELAY_MS)
      }
      for (let i = votes; i < need; i++) launch()
      // Our own miss already made the count (R' = 2): ask the other replica now, not at the hedge delay.
      if (inflight === 0) launch()
      if (order.length > 0) armHedge()
    })
  }

  private async fetch(peer: string, key: string, options: { signal?: AbortSignal; metaOnly?: boolean }): Promise<StoredRecord | undefined> {
    let res: Awaited<ReturnType<WireEngine['request']>> & { status: FetchStatus; record?: import('../../protocols/messages.js').WireRecord }
    try {
      res = await this.c.wire.request(
        peer,
        this.c.protocols.fetch,
        { key, metaOnly: options.metaOnly ?? false, enclave: this.init.enclave },
        { signal: options.signal },
      )
    } catch (err) {
      this.c.metrics.fetches.inc('failed')
      throw err
    }
    if (res.status === FetchStatus.FETCH_NOT_FOUND) {
      this.c.metrics.fetches.inc('not_found')
      return undefined
    }
    const w = res.record
    // A replica that answers for another key, or with a lifetime longer than its TTL, is not believed.
    if (
      res.status !== FetchStatus.FETCH_FOUND ||
      !w ||
      w.key !== key ||
      invalidReason(w, this.init.limits, options.metaOnly, this.c.clock.now()) !== undefined
    ) {
      this.c.metrics.fetches.inc('failed')
      throw new UnavailableError('The replica answered with an invalid record.')
    }
    this.c.metrics.fetches.inc('found')
    const rec = fromWire(w, this.c.clock.now())
    this.c.hlc?.observe(rec.version)
    return rec
  }

  private finish(answers: Answer[], metaOnly: boolean | undefined): StoredRecord | undefined {
    const now = this.c.clock.now()
    let best: StoredRecord | undefined
    let from: string | undefined
    for (const a of answers) {
      if (a.rec && a.rec.expiresAt > now && (!best || compareVersions(a.rec.version, best.version) > 0)) {
        best = a.rec
        from = a.peer
      }
    }
    if (!best || from === undefined) return best
    const winner = best
    const stale = answers.filter((a) => !a.rec || a.rec.expiresAt <= now || compareVersions(a.rec.version, winner.version) < 0).map((a) => a.peer)
    if (stale.length === 0) return best
    if (!metaOnly) {
      for (const peer of stale) void this.c.pusher.push(peer, winner, { handoff: true })
    } else {
      // HEAD repairs too: the answers carry no value, so the winner's full record is fetched first
      // (from our own store when we hold it) and then pushed to the stale replicas, in the background.
      void this.fullRecord(from, winner)
        .then((rec) => {
          if (rec && compareVersions(rec.version, winner.version) === 0) for (const peer of stale) void this.c.pusher.push(peer, rec, { handoff: true })
        })
        .catch(() => {})
    }
    return best
  }

  private async fullRecord(peer: string, meta: StoredRecord): Promise<StoredRecord | undefined> {
    const local = this.c.store.get(meta.key)
    if (local && compareVersions(local.version, meta.version) === 0) return local
    if (peer === this.c.placement.selfId) return undefined
    return this.fetch(peer, meta.key, {})
  }
}
