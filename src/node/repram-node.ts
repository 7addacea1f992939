/**
 * The facade: the one interface every front door (HTTP gateway, MCP, CLI) talks to. It validates and
 * clamps input, stamps versions, and hands records to the replicator (a mesh of one, or the libp2p
 * mesh). Parts start in dependency order and stop in reverse.
 */
import { EventEmitter } from 'node:events'
import type { Registry } from 'prom-client'
import type { Clock } from '../shared/clock.js'
import type { NodeConfig } from '../shared/config.js'
import { ClockSkewError, InsufficientStorageError, NotFoundError, UnavailableError, ValueTooLargeError } from '../shared/errors.js'
import { HybridLogicalClock, nodeTieBreak } from '../shared/hlc.js'
import type { Logger } from '../shared/logger.js'
import { versionToEtag } from '../shared/version.js'
import type { RecordMeta, StoredRecord } from '../store/record.js'
import type { RecordStore } from '../store/types.js'
import { createNodeMetrics, type NodeMetrics } from './metrics.js'
import type { Replicator } from './replicator.js'
import { effectiveTtl, parseLimit, validateKey, validateKeyFragment } from './schemas.js'
import type {
  HealthReport,
  ListOptions,
  ListResult,
  PutOptions,
  PutResult,
  ReadOptions,
  RecordInfo,
  RecordView,
  StatusReport,
  TopologyReport,
} from './types.js'

export interface RepramNodeComponents {
  clock: Clock
  logger: Logger
  store: RecordStore
  replicator: Replicator
  /** The node's version clock, shared with the replicator (which observes peers' versions); default a new one. */
  hlc?: HybridLogicalClock
  /** The node's metrics registry (the replicator's and the front doors' metrics join it); default a new one. */
  registry?: Registry
}

/** Writes again under a newer version at most this often when replicas hold a newer one (see put). */
export const MAX_RESTAMPS = 3

export interface RepramNodeEvents {
  'record:written': (info: RecordInfo & { confirmed: boolean }) => void
  started: () => void
  stopped: () => void
}

function info(meta: RecordMeta): RecordInfo {
  return {
    key: meta.key,
    createdAt: meta.createdAt,
    ttl: meta.ttlSeconds,
    expiresAt: meta.expiresAt,
    size: meta.size,
    etag: versionToEtag(meta.version),
  }
}

/** A record as the front doors see it (built field by field: this is every GET's path). */
function view(rec: StoredRecord): RecordView {
  return {
    key: rec.key,
    createdAt: rec.createdAt,
    ttl: rec.ttlSeconds,
    expiresAt: rec.expiresAt,
    size: rec.size,
    etag: versionToEtag(rec.version),
    value: rec.value,
  }
}

export class RepramNode {
  readonly config: NodeConfig
  readonly metrics: NodeMetrics
  private readonly clock: Clock
  private readonly log: Logger
  private readonly store: RecordStore
  private readonly replicator: Replicator
  private readonly events = new EventEmitter()
  private readonly hlc: HybridLogicalClock
  /** This node's version tie-break (from its peer id, known once started). */
  private tieBreak = 0
  private state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new'
  private startedAt = 0
  private readonly debugLogs: boolean

  constructor(components: RepramNodeComponents, config: NodeConfig) {
    this.config = config
    this.debugLogs = config.logLevel === 'debug'
    this.clock = components.clock
    this.log = components.logger
    this.store = components.store
    this.replicator = components.replicator
    this.hlc = components.hlc ?? new HybridLogicalClock({ clock: this.clock })
    this.hlc.onSkew = (aheadMs) =>
      this.log.warn("a peer sent a version from beyond the clock skew tolerance: this clock or the peer's is off", {
        ahead_ms: aheadMs,
        tolerance_ms: this.hlc.skew().toleranceMs,
      })
    this.metrics = createNodeMetrics(this.store, { registry: components.registry })
  }

  get registry(): Registry {
    return this.metrics.registry
  }

  /** The node's clock reading, ms (front doors compute remaining TTLs and rate-limit refills with it). */
  now(): number {
    return this.clock.now()
  }

  get running(): boolean {
    return this.state === 'running'
  }

  /** The node's name: REPRAM_NODE_ID, else its peer id. */
  get nodeId(): string {
    return this.config.nodeId ?? this.replicator.identity().peerId
  }

  async start(): Promise<void> {
    if (this.state !== 'new' && this.state !== 'stopped') return
    this.state = 'starting'
    this.store.start()
    await this.replicator.start()
    this.tieBreak = nodeTieBreak(this.replicator.identity().peerId)
    this.startedAt = this.clock.now()
    this.state = 'running'
    this.events.emit('started')
  }

  async stop(): Promise<void> {
    if (this.state !== 'running' && this.state !== 'starting') return
    this.state = 'stopping'
    await this.replicator.stop()
    this.store.stop()
    this.state = 'stopped'
    this.events.emit('stopped')
  }

  on<E extends keyof RepramNodeEvents>(event: E, listener: RepramNodeEvents[E]): this {
    this.events.on(event, listener)
    return this
  }

  off<E extends keyof RepramNodeEvents>(event: E, listener: RepramNodeEvents[E]): this {
    this.events.off(event, listener)
    return this
  }

  private ensureRunning(): void {
    if (this.state !== 'running') throw new UnavailableError('The node is not running.')
  }

  async put(key: string, value: Uint8Array, options: PutOptions = {}): Promise<PutResult> {
    this.ensureRunning()
    validateKey(key, this.config.maxKeyBytes)
    if (value.byteLength > this.config.maxValueBytes) throw new ValueTooLargeError(this.config.maxValueBytes)
    const ttl = effectiveTtl(options.ttlSeconds, this.config)
    const now = this.clock.now()
    const deadline = now + this.config.writeTimeoutMs
    let rec: StoredRecord = {
      key,
      value,
      version: this.hlc.next(this.tieBreak),
      createdAt: now,
      ttlSeconds: ttl,
      expiresAt: now + ttl * 1000,
      size: value.byteLength,
    }
    try {
      let out = await this.replicator.write(rec, { signal: options.signal, timeoutMs: this.config.writeTimeoutMs })
      // A replica holds a newer version than ours (our clock lags the previous writer's, or a concurrent
      // write): move the clock past it and write again, a bounded number of times within the timeout.
      for (let i = 0; out.superseded && out.confirmed < out.quorum && i < MAX_RESTAMPS; i++) {
        if (!this.hlc.observe(out.superseded)) {
          throw new ClockSkewError(this.hlc.skew().toleranceMs)
        }
        const left = deadline - this.clock.now()
        if (left <= 0 || options.signal?.aborted) break
        rec = { ...rec, version: this.hlc.next(this.tieBreak) }
        out = await this.replicator.write(rec, { signal: options.signal, timeoutMs: left })
      }
      const confirmed = out.confirmed >= out.quorum
      this.metrics.writes.inc(confirmed ? 'confirmed' : 'pending')
      // Hot path: no log fields or event payload are built when nobody reads them.
      if (this.debugLogs) this.log.debug('put', { key: key.length > 64 ? `${key.slice(0, 64)}…` : key, size: value.byteLength, ttl, confirmed: out.confirmed })
      const etag = versionToEtag(rec.version)
      if (this.events.listenerCount('record:written') > 0) this.events.emit('record:written', { ...info(rec), etag, confirmed })
      return { key, ttl, expiresAt: rec.expiresAt, replicas: out.confirmed, quorum: out.quorum, confirmed, etag }
    } catch (err) {
      if (err instanceof InsufficientStorageError) this.metrics.writes.inc('rejected')
      throw err
    }
  }

  /**
   * The live record of `key` — every front door's one read. The key is validated once; when this
   * node's own store is the key's whole truth (a mesh of one, or this node the key's only replica) the
   * answer comes without a promise (the GET hot path); otherwise the mesh is asked and a promise
   * returned. A miss throws NotFoundError (synchronously on the first path). `metaOnly` leaves the value out.
   */
  read(key: string, options: ReadOptions & { metaOnly: true }): RecordInfo | Promise<RecordInfo>
  read(key: string, options?: ReadOptions & { metaOnly?: false }): RecordView | Promise<RecordView>
  read(key: string, options: ReadOptions & { metaOnly?: boolean } = {}): RecordInfo | RecordView | Promise<RecordInfo | RecordView> {
    this.ensureRunning()
    validateKey(key, this.config.maxKeyBytes)
    const local = this.replicator.localOnly?.(key) === true
    if (options.metaOnly) {
      if (local) return info(this.live(this.store.meta(key)))
      return this.replicator.readMeta(key, options).then((rec) => info(this.live(rec)))
    }
    if (local) return view(this.live(this.store.get(key)))
    return this.replicator.read(key, options).then((rec) => view(this.live(rec)))
  }

  /** The live value, always as a promise; throws NotFoundError when absent or expired anywhere in the mesh. */
  async get(key: string, options: ReadOptions = {}): Promise<RecordView> {
    return this.read(key, { signal: options.signal })
  }

  /** As get, without the value. */
  async head(key: string, options: ReadOptions = {}): Promise<RecordInfo> {
    return this.read(key, { signal: options.signal, metaOnly: true })
  }

  /** `rec` when it is live now (counted as a hit); otherwise a miss, and NotFoundError. */
  private live<T extends RecordMeta>(rec: T | undefined): T {
    if (!rec || rec.expiresAt <= this.clock.now()) {
      this.metrics.reads.inc('miss')
      throw new NotFoundError()
    }
    this.metrics.reads.inc('hit')
    return rec
  }

  list(options: ListOptions = {}): ListResult {
    this.ensureRunning()
    const prefix = validateKeyFragment(options.prefix, 'prefix', this.config.maxKeyBytes)
    const cursor = validateKeyFragment(options.cursor, 'cursor', this.config.maxKeyBytes)
    const limit = parseLimit(options.limit, this.config.maxListKeys)
    const page = this.replicator.list({ prefix, after: cursor, limit })
    const result: ListResult = { keys: page.keys }
    if (page.more && page.keys.length > 0) result.nextCursor = page.keys[page.keys.length - 1]
    return result
  }

  health(): HealthReport {
    const ok = this.state === 'running' && this.replicator.healthy()
    return { status: ok ? 'healthy' : 'unhealthy', node_id: this.nodeId, network: this.config.network, enclave: this.config.enclave }
  }

  status(): StatusReport {
    const id = this.replicator.identity()
    const mem = process.memoryUsage()
    const skew = this.hlc.skew()
    return {
      status: this.health().status,
      node_id: this.nodeId,
      peer_id: id.peerId,
      multiaddrs: id.multiaddrs,
      network: this.config.network,
      enclave: this.config.enclave,
      peers: this.replicator.peers().length,
      keys: this.store.size,
      bytes: this.store.bytes,
      uptime: this.state === 'running' ? Math.floor((this.clock.now() - this.startedAt) / 1000) : 0,
      memory: { rss: mem.rss, heap_used: mem.heapUsed, heap_total: mem.heapTotal, external: mem.external },
      clock: { skew_suspected: skew.suspected, ahead_ms: skew.aheadMs, refused_versions: skew.refused, tolerance_ms: skew.toleranceMs },
    }
  }

  topology(): TopologyReport {
    const id = this.replicator.identity()
    return { node_id: this.nodeId, peer_id: id.peerId, enclave: this.config.enclave, peers: this.replicator.peers() }
  }
}
