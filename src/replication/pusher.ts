/**
 * Pushes one record to one replica — this node's store when the replica is self, else the store
 * protocol — with the lifetime remaining at send time, and reports the outcome as one word.
 */
import type { StoreRequest, StoreResponse } from '../../protocols/messages.js'
import { StoreStatus } from '../../protocols/messages.js'
import type { Clock } from '../shared/clock.js'
import type { Logger } from '../shared/logger.js'
import type { Version } from '../shared/version.js'
import type { StoredRecord } from '../store/record.js'
import type { RecordStore } from '../store/types.js'
import type { RepramProtocols } from '../wire/repram-protocols.js'
import type { WireEngine } from '../wire/wire-engine.js'
import { type PushKind, type PushOutcome, staleAgainst } from './push-outcome.js'
import { toWire } from './record-codec.js'
import type { ReplicationMetrics } from './replication-metrics.js'
import type { VersionFloor } from './version-floor.js'

export class Pusher {
  constructor(
    private readonly c: {
      clock: Clock
      logger: Logger
      store: RecordStore
      wire: WireEngine
      protocols: RepramProtocols
      floor: VersionFloor
      metrics: ReplicationMetrics
      /** The node's version clock: it observes the newer version a STALE answer names. */
      hlc?: { observe(v: Version): boolean }
    },
    private readonly init: { selfId: string; enclave: string },
  ) {}

  private count(kind: PushKind, outcome: PushOutcome): void {
    this.c.metrics.pushes.inc(kind, outcome)
  }

  /**
   * This node's store as a replica: synchronous (the write path needs no promise for it). 'ok' when
   * the store now holds this version (stored, or already held); 'stale' when it holds a newer one,
   * which `onStale` is told.
   */
  pushLocal(rec: StoredRecord, handoff: boolean, onStale?: (current: Version) => void): PushOutcome {
    const now = this.c.clock.now()
    if (rec.expiresAt <= now) return 'expired'
    let out: PushOutcome
    const o = this.c.store.put(rec)
    if (o === 'stored') {
      this.c.floor.observe(rec.key, rec.version, now)
      out = 'ok'
    } else if (o === 'stale') {
      const current = staleAgainst(this.c.store, rec.key, rec.version)
      out = current === 'held' ? 'ok' : 'stale'
      if (current !== 'held' && current) onStale?.(current)
    } else out = o
    this.count(handoff ? 'handoff' : 'write', out)
    return out
  }

  /** The last store request built: a write's pushes to its replicas in the same ms share it (and its encoding, see repram-protocols). */
  private last: { rec: StoredRecord; now: number; handoff: boolean; req: StoreRequest } | undefined

  private request(rec: StoredRecord, handoff: boolean): StoreRequest {
    const now = this.c.clock.now()
    const last = this.last
    if (last && last.rec === rec && last.now === now && last.handoff === handoff) return last.req
    const req: StoreRequest = { record: toWire(rec, now), handoff, enclave: this.init.enclave }
    this.last = { rec, now, handoff, req }
    return req
  }

  /** Pushes `rec` to `peer`; a STALE answer's newer version is observed by the clock and told to `onStale`. */
  async push(
    peer: string,
    rec: StoredRecord,
    options: { handoff: boolean; signal?: AbortSignal; timeoutMs?: number; onStale?: (current: Version) => void },
  ): Promise<PushOutcome> {
    if (peer === this.init.selfId) return this.pushLocal(rec, options.handoff, options.onStale)
    const now = this.c.clock.now()
    if (rec.expiresAt <= now) return 'expired'
    const kind = options.handoff ? 'handoff' : 'write'
    const started = performance.now()
    let res: StoreResponse
    try {
      // Built when the frame is queued (after any wait for a slot or a dial): the remaining lifetime is the one at send time.
      const req = () => this.request(rec, options.handoff)
      res = await this.c.wire.request(peer, this.c.protocols.store, req, options)
    } catch (err) {
      this.count(kind, 'failed')
      this.c.logger.debug('push failed', { peer, err: err as Error })
      return 'failed'
    }
    this.c.metrics.pushLatency.observe({ kind }, (performance.now() - started) / 1000)
    const out = STATUS[res.status] ?? 'failed'
    if (out === 'stale' && res.currentHlc > 0n) {
      const current = { hlc: Number(res.currentHlc), node: res.currentNode >>> 0 }
      this.c.hlc?.observe(current)
      options.onStale?.(current)
    }
    this.count(kind, out)
    return out
  }
}

const STATUS: Record<StoreStatus, PushOutcome> = {
  [StoreStatus.STORE_OK]: 'ok',
  [StoreStatus.STORE_STALE]: 'stale',
  [StoreStatus.STORE_EXPIRED]: 'expired',
  [StoreStatus.STORE_FULL]: 'full',
  [StoreStatus.STORE_INVALID]: 'invalid',
  [StoreStatus.STORE_REFUSED]: 'refused',
  [StoreStatus.STORE_ERROR]: 'failed',
}
