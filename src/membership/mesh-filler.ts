/**
 * MeshFiller: keeps this node connected to every REPRAM peer it has heard of, so membership (which
 * is "connected and identified") converges to ALL live members, not to whatever kad-dht's k-buckets
 * (k = 20) or one lucky round of bootstrap dials happened to connect. Every tick it dials, a bounded
 * number at a time, the peers of the peer store that are not connected (those that identified as
 * REPRAM nodes before and those never identified, learnt from DHT queries) and the bootstrap
 * addresses whose peer we are not connected to (a first dial that failed under load). A peer that
 * fails is retried with exponential backoff, so dead peers cost little. The peer store (decoding
 * every record) is scanned only after something may have changed — a peer discovered or lost, a dial
 * failed and waits for its retry — or every FILL_RESCAN_MS as a safety net: a scan per second per
 * node cost ~10% of the CPU of 50 idle nodes in one process and found nothing new.
 */
import { BoundedMap, MAX_TRACKED_PEERS } from '../shared/bounded-map.js'
import type { Logger } from '../shared/logger.js'

/** How often the peer store is scanned for members we are not connected to. */
export const FILL_INTERVAL_MS = 1_000
/** A quiet node still rescans the peer store this often (an event we did not hear about). */
export const FILL_RESCAN_MS = 10_000
/** Dials in flight at once (a burst of joiners must not starve the event loop). */
export const FILL_MAX_PARALLEL_DIALS = 8
/** Backoff after a failed dial to one peer: doubles per failure up to the maximum. */
export const FILL_BACKOFF_MIN_MS = 1_000
export const FILL_BACKOFF_MAX_MS = 60_000
/** A dial slower than this is abandoned (tried again after its backoff). */
const FILL_DIAL_TIMEOUT_MS = 10_000

export interface FillerPeer {
  id: { toString(): string }
  protocols: string[]
  addresses: unknown[]
}

export interface FillerHost {
  peerId: { toString(): string }
  peerStore: { all(): Promise<FillerPeer[]> }
  getConnections(peer?: unknown): Array<{ remotePeer: { toString(): string } }>
  dial(peer: never, options?: { signal?: AbortSignal }): Promise<unknown>
}

export class MeshFiller {
  private timer: NodeJS.Timeout | undefined
  private running = false
  private readonly backoff = new BoundedMap<string, { until: number; delay: number }>(MAX_TRACKED_PEERS)
  private readonly abort = new AbortController()
  /** Something may have changed since the last peer-store scan. */
  private dirty = true
  private lastScan = Number.NEGATIVE_INFINITY

  constructor(
    private readonly c: { host: FillerHost; logger: Logger; now: () => number },
    private readonly init: { requiredProtocol: string; intervalMs?: number; bootstrap?: Array<{ toString(): string }> },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.init.intervalMs ?? FILL_INTERVAL_MS)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.abort.abort()
  }

  /** A peer was discovered or lost: scan the peer store on the next tick. */
  poke(): void {
    this.dirty = true
  }

  /** One pass: dial the unconnected candidates (bounded parallelism). Returns how many were dialled. */
  async tick(): Promise<number> {
    if (this.running || this.abort.signal.aborted) return 0
    this.running = true
    try {
      const host = this.c.host
      const self = host.peerId.toString()
      const connected = new Set(host.getConnections().map((c) => c.remotePeer.toString()))
      const now = this.c.now()
      const todo: Array<{ id: string; target: unknown }> = []
      const queued = new Set<string>()
      for (const a of this.init.bootstrap ?? []) {
        const id = /\/p2p\/([^/]+)$/.exec(a.toString())?.[1]
        if (id === undefined || id === self || connected.has(id) || queued.has(id)) continue
        const b = this.backoff.get(id)
        if (b && b.until > now) continue
        queued.add(id)
        todo.push({ id, target: a })
      }
      let retryDue = false
      for (const [, b] of this.backoff.entries()) if (b.until <= now) retryDue = true
      const scan = this.dirty || retryDue || now - this.lastScan >= FILL_RESCAN_MS
      if (scan) {
        this.dirty = false
        this.lastScan = now
      }
      for (const p of scan ? await host.peerStore.all() : []) {
        const id = p.id.toString()
        if (id === self || connected.has(id) || p.addresses.length === 0) continue
        if (p.protocols.length > 0 && !p.protocols.includes(this.init.requiredProtocol)) continue
        const b = this.backoff.get(id)
        if ((b && b.until > now) || queued.has(id)) continue
        queued.add(id)
        todo.push({ id, target: p.id })
      }
      let next = 0
      const worker = async (): Promise<void> => {
        while (next < todo.length && !this.abort.signal.aborted) {
          const p = todo[next++]
          await this.dial(p)
        }
      }
      await Promise.all(Array.from({ length: Math.min(FILL_MAX_PARALLEL_DIALS, todo.length) }, worker))
      return todo.length
    } finally {
      this.running = false
    }
  }

  private async dial(p: { id: string; target: unknown }): Promise<void> {
    const id = p.id
    try {
      await this.c.host.dial(p.target as never, { signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(FILL_DIAL_TIMEOUT_MS)]) })
      this.backoff.delete(id)
    } catch (err) {
      const prev = this.backoff.get(id)
      const delay = Math.min(FILL_BACKOFF_MAX_MS, prev ? prev.delay * 2 : FILL_BACKOFF_MIN_MS)
      this.backoff.set(id, { until: this.c.now() + delay, delay })
      this.c.logger.debug('member dial failed', { peer: id, err: err as Error })
    }
  }
}
