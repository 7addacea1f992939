/**
 * The time series of the mesh's state, sampled every SAMPLE_INTERVAL_MS from the live nodes'
 * statuses: keys and bytes per node against the ideal R'/N share, replicas held against the replicas
 * owed (R' × keys the ledger knows are live and settled), memory, and every WIRE_EVERY-th sample the
 * wire counters. Each sample is offered to listeners (the replication tracker).
 */
import type { Ledger } from './ledger.js'
import type { NodePool } from './pool.js'
import type { WireMeter } from './wire.js'

export const SAMPLE_INTERVAL_MS = 1_000
/** Wire counters every 5th sample: scraping 50 registries every second would cost a core. */
export const WIRE_EVERY = 5
/** A key acknowledged this recently may still be replicating to its last replicas: not yet owed R'. */
export const SETTLE_MS = 2_000
/** Keys expiring within this are not owed: node snapshots are taken over a span and replicas expire them. */
export const EXPIRY_MARGIN_MS = 1_000

export interface NodeSample {
  name: string
  keys: number
  bytes: number
  rss?: number
}

export interface Sample {
  /** Seconds since the workload began. */
  t: number
  live: number
  /** R' = min(R, live). */
  rPrime: number
  sumKeys: number
  sumBytes: number
  /** Keys certainly live and settled, by the ledger. */
  owedKeys: number
  /** Keys possibly live (any write that may not have expired). */
  possibleKeys: number
  /** R' × owedKeys: replicas the mesh must hold at least. */
  owedReplicas: number
  /** Ideal keys per node, the R'/N share of the keys that exist: R' × possibleKeys / live. */
  idealPerNode: number
  minKeys: number
  maxKeys: number
  /** Process mode: sum of the nodes' RSS; in-process: this process's RSS. */
  rssTotal: number
  rssPerNode: number
  /** Cumulative wire counters (only on wire samples). */
  wireBytes?: number
  wireMessages?: number
  /** Writes answered so far (for per-write figures). */
  writes: number
  perNode: NodeSample[]
}

export interface SamplerComponents {
  pool: NodePool
  ledger: Ledger
  wire: WireMeter
  writes: () => number
  now?: () => number
}

export interface SamplerInit {
  replication: number
  origin: number
  processes: boolean
}

export class Sampler {
  readonly samples: Sample[] = []
  private readonly c: SamplerComponents
  private readonly init: SamplerInit
  private readonly now: () => number
  private readonly listeners: ((s: Sample) => void)[] = []
  private timer: NodeJS.Timeout | undefined
  private busy: Promise<void> | undefined
  private n = 0

  constructor(components: SamplerComponents, init: SamplerInit) {
    this.c = components
    this.init = init
    this.now = components.now ?? Date.now
  }

  onSample(listener: (s: Sample) => void): void {
    this.listeners.push(listener)
  }

  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => {
      if (!this.busy)
        this.busy = this.sample().then(
          () => {
            this.busy = undefined
          },
          () => {
            this.busy = undefined
          },
        )
    }, SAMPLE_INTERVAL_MS)
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.busy
  }

  /** Takes one sample now (also used for the final one); `wire` forces a wire scrape. */
  async sample(wire = false): Promise<Sample> {
    const live = [...this.c.pool.live()]
    const scrapeWire = wire || this.n++ % WIRE_EVERY === 0
    // The ledger is read as of the moment the statuses were asked for: a key acknowledged while a slow
    // sample is being taken is not owed by it.
    const t = this.now()
    const statuses = await Promise.all(live.map((n) => n.client.status()))
    if (scrapeWire) {
      // In-process, departed nodes' registries still answer: their final counts stay in the totals.
      const targets = this.init.processes ? live : [...this.c.pool.all()]
      const texts = await Promise.all(targets.map((n) => n.client.metricsText()))
      for (const [i, n] of targets.entries()) this.c.wire.update(n.name, texts[i])
    }
    const perNode: NodeSample[] = []
    live.forEach((n, i) => {
      const s = statuses[i]
      if (s) perNode.push({ name: n.name, keys: s.keys, bytes: s.bytes, rss: this.init.processes ? s.memory?.rss : undefined })
    })
    const { certain, possible } = this.c.ledger.liveKeys(t, EXPIRY_MARGIN_MS, SETTLE_MS)
    const rPrime = Math.min(this.init.replication, live.length)
    const sumKeys = perNode.reduce((a, n) => a + n.keys, 0)
    const rssTotal = this.init.processes ? perNode.reduce((a, n) => a + (n.rss ?? 0), 0) : process.memoryUsage().rss
    const total = scrapeWire ? this.c.wire.complete() : undefined
    const sample: Sample = {
      t: (t - this.init.origin) / 1000,
      live: live.length,
      rPrime,
      sumKeys,
      sumBytes: perNode.reduce((a, n) => a + n.bytes, 0),
      owedKeys: certain,
      possibleKeys: possible,
      owedReplicas: rPrime * certain,
      idealPerNode: live.length > 0 ? (rPrime * possible) / live.length : 0,
      minKeys: perNode.length > 0 ? Math.min(...perNode.map((n) => n.keys)) : 0,
      maxKeys: perNode.length > 0 ? Math.max(...perNode.map((n) => n.keys)) : 0,
      rssTotal,
      rssPerNode: live.length > 0 ? rssTotal / live.length : 0,
      wireBytes: total?.bytesSent,
      wireMessages: total?.messagesSent,
      writes: this.c.writes(),
      perNode,
    }
    this.samples.push(sample)
    for (const l of this.listeners) l(sample)
    return sample
  }
}
