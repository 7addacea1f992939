/**
 * MeshReplicator: the Replicator of a libp2p mesh. It assembles the host, the wire engine with the
 * store/fetch/directory handlers, membership and placement, the write and read paths, announcements
 * and the directory, background retries and churn handoff, and starts them in dependency order (stops
 * in reverse, after handing its keys on when leaving gracefully).
 */
import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Registry } from 'prom-client'
import { ANNOUNCE_TOPIC, DIRECTORY_PAGE_ENTRIES, STORE_PROTOCOL } from '../../protocols/ids.js'
import { DirectoryStatus } from '../../protocols/messages.js'
import { BootstrapDialer } from '../host/bootstrap-dialer.js'
import { createHost, type RepramLibp2p } from '../host/create-host.js'
import { loadOrCreateIdentity } from '../host/identity.js'
import { PUBLIC_BOOTSTRAP_PEERS, toDialAddress } from '../host/peer-addresses.js'
import { type HostProfile, hostProfile } from '../host/profile.js'
import type { Clock } from '../node/clock.js'
import type { NodeConfig } from '../node/config.js'
import { UnavailableError } from '../node/errors.js'
import { type Logger, silentLogger } from '../node/logger.js'
import type { Replicator, WriteOutcome } from '../node/replicator.js'
import type { PeerView } from '../node/types.js'
import { Membership } from '../placement/membership.js'
import { FILL_INTERVAL_MS, MeshFiller } from '../placement/mesh-filler.js'
import { Placement } from '../placement/placement.js'
import { peerPoint } from '../placement/xor-distance.js'
import type { RecordMeta, StoredRecord } from '../store/record.js'
import type { ListPage, ListQuery } from '../store/types.js'
import { repramProtocols } from '../wire/repram-protocols.js'
import { WireEngine } from '../wire/wire-engine.js'
import { Announcements, Verdict } from './announcements.js'
import { Directory } from './directory.js'
import { ReplicaHandlers } from './handlers.js'
import { JoinGate } from './join-gate.js'
import { Pusher } from './pusher.js'
import { ReadPath } from './read-path.js'
import { type DroppableStore, Rebalancer } from './rebalancer.js'
import type { RecordLimits } from './record-codec.js'
import { createReplicationMetrics, type ReplicationMetrics } from './replication-metrics.js'
import { RetryQueue } from './retry-queue.js'
import { VersionFloor } from './version-floor.js'
import { WritePath } from './write-path.js'

/** Graceful leave: how long stop() spends handing keys on before it closes the host anyway. */
export const LEAVE_HANDOFF_MS = 5_000
/** How often members' topology latency is refreshed (from the connection monitor's round trips). */
export const PING_INTERVAL_MS = 10_000
/** Protocol violations after which a peer is disconnected (again at every multiple). */
export const MAX_STRIKES_BEFORE_HANGUP = 5
/** Re-identify attempts per connected peer that never became a member (identify can time out under load). */
const MAX_REIDENTIFY_ATTEMPTS = 3
/** Re-identifications started per reconcile tick. */
const REIDENTIFY_PER_TICK = 8
/** Directory sweep period (reclaims expired entries; listings skip them anyway). */
const DIRECTORY_SWEEP_MS = 250

export interface MeshReplicatorComponents {
  clock: Clock
  logger: Logger
  store: DroppableStore
}

export class MeshReplicator implements Replicator {
  private readonly clock: Clock
  private readonly log: Logger
  private readonly store: DroppableStore
  private readonly config: NodeConfig
  private readonly profile: HostProfile
  private readonly limits: RecordLimits
  private registry: Registry | undefined
  private metrics: ReplicationMetrics | undefined
  readonly directory: Directory
  readonly membership = new Membership({ requiredProtocol: STORE_PROTOCOL })
  private readonly floor: VersionFloor
  private host: RepramLibp2p | undefined
  private wire: WireEngine | undefined
  private writes: WritePath | undefined
  private reads: ReadPath | undefined
  private placement: Placement | undefined
  private retry: RetryQueue | undefined
  rebalancer: Rebalancer | undefined
  private announcements: Announcements | undefined
  private dialer: BootstrapDialer | undefined
  private filler: MeshFiller | undefined
  private timers: NodeJS.Timeout[] = []
  private accepting = false
  private synced = false
  /** The directory was fetched from a peer (a late joiner's listing includes earlier keys). */
  private directorySynced = false
  private readonly identifiedPeers = new Set<string>()
  private readonly reidentified = new Map<string, number>()
  private gate = new JoinGate({ logger: silentLogger })
  private lastConnectedAt = 0
  private peerIdStr = ''
  private readonly cleanups: Array<() => void> = []

  constructor(components: MeshReplicatorComponents, config: NodeConfig) {
    this.clock = components.clock
    this.log = components.logger
    this.store = components.store
    // Lists this node's own keys from the store itself; holds only keys held elsewhere.
    this.directory = new Directory({ store: this.store, clock: this.clock })
    this.config = config
    this.profile = hostProfile(config.profile)
    this.limits = { maxKeyBytes: config.maxKeyBytes, maxValueBytes: config.maxValueBytes, maxTtlSeconds: config.maxTtlSeconds }
    this.floor = new VersionFloor({ store: this.store, clock: this.clock }, { maxTtlMs: config.maxTtlSeconds * 1000 })
    // Listens for the whole life of this replicator, stopped or not: records that expire while the node is
    // stopped leave at the next start's first sweep, before the mesh could replay an older copy.
    this.floor.start()
  }

  registerMetrics(registry: Registry): void {
    this.registry = registry
    this.metrics = createReplicationMetrics(registry, {
      peers: () => this.membership.size,
      directory: () => this.directory.size,
      pending: () => this.retry?.size ?? 0,
    })
  }

  get libp2p(): RepramLibp2p | undefined {
    return this.host
  }

  async start(): Promise<void> {
    if (this.host) return
    const metrics = this.metrics ?? createReplicationMetrics(undefined, { peers: () => 0, directory: () => 0, pending: () => 0 })
    this.metrics = metrics
    const privateKey = await loadOrCreateIdentity(this.config.keyFile)
    const host = await createHost(this.config, { privateKey, profile: this.profile, registry: this.registry })
    this.host = host
    this.gate = new JoinGate({ logger: this.log.child('join') })
    this.peerIdStr = host.peerId.toString()
    const selfId = this.peerIdStr
    const logger = this.log
    const protocols = repramProtocols({ ...this.limits, directoryPageEntries: DIRECTORY_PAGE_ENTRIES })
    const wire = new WireEngine({ host, logger: logger.child('wire') })
    this.wire = wire
    const placement = new Placement(
      { membership: this.membership },
      { selfId, selfPoint: peerPoint(selfId), enclave: this.config.enclave, replication: this.config.replication },
    )
    this.placement = placement

    const pusher = new Pusher(
      { clock: this.clock, logger, store: this.store, wire, protocols, floor: this.floor, metrics },
      { selfId, enclave: this.config.enclave },
    )
    const announcements = new Announcements(
      { clock: this.clock, logger: logger.child('announce'), directory: this.directory },
      { enclave: this.config.enclave, limits: this.limits },
    )
    this.announcements = announcements
    const retry = new RetryQueue({ clock: this.clock, logger, placement, pusher, announce: (rec) => announcements.announce(rec) })
    this.retry = retry
    this.writes = new WritePath({ placement, pusher, retry, announcements })
    this.reads = new ReadPath(
      { clock: this.clock, store: this.store, placement, wire, protocols, pusher, metrics },
      { enclave: this.config.enclave, limits: this.limits },
    )
    this.rebalancer = new Rebalancer(
      { clock: this.clock, logger: logger.child('rebalance'), store: this.store, placement, pusher },
      { selfId, debounceMs: this.profile.rebalanceDebounceMs },
    )
    const handlers = new ReplicaHandlers(
      { clock: this.clock, store: this.store, floor: this.floor, directory: this.directory },
      {
        enclave: this.config.enclave,
        limits: this.limits,
        accepting: () => this.accepting,
        onStored: (key) => this.rebalancer?.noteStored(key),
      },
    )
    // A peer that keeps breaking our protocols (garbage, oversized frames) is disconnected.
    wire.on('peer:misbehaved', (peer, strikes) => {
      if (strikes % MAX_STRIKES_BEFORE_HANGUP === 0) {
        this.log.warn('disconnecting a misbehaving peer', { peer, strikes })
        void host.hangUp(peerIdFromString(peer)).catch(() => {})
      }
    })
    wire.register(protocols.store, handlers.store)
    wire.register(protocols.fetch, handlers.fetch)
    wire.register(protocols.directory, handlers.directory)

    // Membership from identify / disconnect; churn and directory sync follow it.
    const onIdentify = (evt: CustomEvent): void => {
      const d = evt.detail as { peerId: PeerId; agentVersion?: string; protocols: string[]; listenAddrs: Array<{ toString(): string }> }
      if (!this.gate.joined) this.identifiedPeers.add(d.peerId.toString())
      this.membership.identified({
        peerId: d.peerId.toString(),
        agentVersion: d.agentVersion,
        protocols: d.protocols,
        listenAddrs: d.listenAddrs.map((a) => a.toString()),
      })
    }
    const onDisconnect = (evt: CustomEvent): void => {
      this.membership.disconnected((evt.detail as PeerId).toString())
      if (host.getConnections().length === 0) this.dialer?.disconnectedAll()
    }
    const onConnect = (): void => {
      this.lastConnectedAt = this.clock.now()
    }
    // The filler scans the peer store only when a peer may have appeared or gone.
    const onPeerSeen = (): void => this.filler?.poke()
    host.addEventListener('peer:identify', onIdentify)
    host.addEventListener('peer:disconnect', onDisconnect)
    host.addEventListener('peer:connect', onConnect)
    host.addEventListener('peer:discovery', onPeerSeen)
    host.addEventListener('peer:disconnect', onPeerSeen)
    this.cleanups.push(() => {
      host.removeEventListener('peer:identify', onIdentify)
      host.removeEventListener('peer:disconnect', onDisconnect)
      host.removeEventListener('peer:connect', onConnect)
      host.removeEventListener('peer:discovery', onPeerSeen)
      host.removeEventListener('peer:disconnect', onPeerSeen)
    })
    const onChanged = (peerId: string, kind: 'joined' | 'left'): void => {
      this.log.debug(`peer ${kind}`, { peer: peerId })
      this.rebalancer?.schedule()
      if (kind === 'joined') void this.ping(peerId)
      if (kind === 'joined' && !this.synced && this.membership.get(peerId)?.enclave === this.config.enclave) void this.syncDirectory(peerId)
    }
    this.membership.on('changed', onChanged)
    this.cleanups.push(() => this.membership.off('changed', onChanged))

    // Announcements: validate on receipt (gossipsub asks before it forwards).
    const pubsub = host.services.pubsub
    pubsub.topicValidators.set(ANNOUNCE_TOPIC, (peer: PeerId, msg: { data: Uint8Array; from?: PeerId }) => {
      const v = announcements.receive((msg.from ?? peer).toString(), msg.data)
      return v === Verdict.Accept ? 'accept' : v === Verdict.Reject ? 'reject' : 'ignore'
    })

    await wire.start()
    this.accepting = true
    announcements.start(pubsub)
    retry.start()
    this.rebalancer.start()
    this.lastConnectedAt = this.clock.now()

    const peers = [...this.config.peers, ...(this.config.network === 'public' ? PUBLIC_BOOTSTRAP_PEERS : [])]
    this.dialer = new BootstrapDialer(
      { host, logger: logger.child('bootstrap') },
      { peers: peers.map(toDialAddress), minDelayMs: this.profile.redialMinMs, maxDelayMs: this.profile.redialMaxMs },
    )
    this.dialer.start()
    // Membership = connected + identified: stay connected to every REPRAM peer we learn of.
    this.filler = new MeshFiller(
      { host: host as never, logger: logger.child('filler'), now: () => this.clock.now() },
      { requiredProtocol: STORE_PROTOCOL, bootstrap: peers.map(toDialAddress) },
    )
    this.filler.start()
    this.timers.push(setInterval(() => this.reconcile(), FILL_INTERVAL_MS))
    this.watchJoin(peers.length > 0)
    this.timers.push(setInterval(() => this.directory.sweep(this.clock.now()), DIRECTORY_SWEEP_MS))
    this.timers.push(setInterval(() => this.floor.prune(this.clock.now()), 10_000))
    this.timers.push(setInterval(() => this.pingMembers(), PING_INTERVAL_MS))
    for (const t of this.timers) t.unref()
    const { multiaddrs } = this.identity()
    this.log.info('libp2p listening', { peer_id: selfId, multiaddrs: multiaddrs.join(',') })
  }

  async stop(options: { handoff?: boolean } = {}): Promise<void> {
    const host = this.host
    if (!host) return
    this.accepting = false
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    this.dialer?.stop()
    this.filler?.stop()
    this.gate.stop()
    if ((options.handoff ?? true) && this.rebalancer && this.membership.size > 0 && this.store.size > 0) {
      const moved = await this.rebalancer.leave(AbortSignal.timeout(LEAVE_HANDOFF_MS)).catch(() => 0)
      this.log.info('left the mesh', { handed_off: moved })
    }
    await this.rebalancer?.stop()
    this.retry?.stop()
    this.announcements?.stop()
    for (const c of this.cleanups.splice(0)) c()
    await this.wire?.stop()
    await host.stop()
    this.membership.clear()
    this.directory.clear()
    this.host = undefined
  }

  async write(rec: StoredRecord, options: { signal?: AbortSignal; timeoutMs: number }): Promise<WriteOutcome> {
    if (!this.writes) throw new Error('not started')
    if (this.gate.joined) return this.writes.write(rec, options)
    // Joining: a quorum counted now would be over a partial view. Wait (within the write timeout).
    const started = this.clock.now()
    await this.gate.wait(options.timeoutMs, options.signal)
    const writes = this.writes
    if (!writes) throw new UnavailableError('The node is stopping.')
    return writes.write(rec, { ...options, timeoutMs: Math.max(1, options.timeoutMs - (this.clock.now() - started)) })
  }

  async read(key: string, options: { signal?: AbortSignal }): Promise<StoredRecord | undefined> {
    return this.readJoined(key, options, false) as Promise<StoredRecord | undefined>
  }

  async readMeta(key: string, options: { signal?: AbortSignal }): Promise<RecordMeta | undefined> {
    return this.readJoined(key, options, true)
  }

  /** The key's read set is this node alone (a mesh of one, or R = 1 and this node the replica) and it has joined. */
  localOnly(key: string): boolean {
    if (!this.accepting || !this.gate.joined) return false
    const replicas = this.placement?.replicasFor(key)
    return replicas !== undefined && replicas.length === 1 && replicas[0].self
  }

  /** Reads once joined (waiting up to the write timeout); a miss on a partial view is not a 404. */
  private async readJoined(key: string, options: { signal?: AbortSignal }, metaOnly: boolean): Promise<RecordMeta | undefined> {
    if (!this.reads) throw new Error('not started')
    const joined = this.gate.joined || (await this.gate.wait(this.config.writeTimeoutMs, options.signal))
    const reads = this.reads
    if (!reads) throw new UnavailableError('The node is stopping.')
    const rec = await reads.read(key, { ...options, metaOnly })
    if (rec === undefined && !joined) throw new UnavailableError('This node is still joining the mesh; its view of the key may be incomplete.')
    return rec
  }

  /** True once the node has joined the mesh (or, with no peer reachable, given up and serves alone). */
  get joined(): boolean {
    return this.gate.joined
  }

  /** Resolves once joined, at most `timeoutMs`; true when joined. */
  whenJoined(timeoutMs: number): Promise<boolean> {
    return this.gate.wait(timeoutMs)
  }

  /**
   * Joined when the first round of bootstrap dials settled, every peer we are connected to has
   * identified (so membership — and placement — covers them) and the directory came from a member of
   * our enclave. Without configured peers there is nothing to join.
   */
  private watchJoin(hasPeers: boolean): void {
    const host = this.host
    const dialer = this.dialer
    if (!hasPeers || !host || !dialer) {
      this.gate.openNow()
      return
    }
    let dialled = false
    void dialer.firstRound.then(() => {
      dialled = true
    })
    const enclaveMembers = (): number => {
      let n = 0
      for (const m of this.membership.all()) if (m.enclave === this.config.enclave) n++
      return n
    }
    this.gate.watch(
      () => {
        if (!dialled || this.membership.size === 0) return false
        for (const c of host.getConnections()) if (!this.identifiedPeers.has(c.remotePeer.toString())) return false
        return this.directorySynced || enclaveMembers() === 0
      },
      {
        graceMs: this.profile.healthGraceMs,
        now: () => this.clock.now(),
        describe: () => ({ members: this.membership.size, connections: host.getConnections().length, directory_synced: this.directorySynced }),
      },
    )
  }

  list(query: ListQuery): ListPage {
    return this.directory.list(query, this.clock.now())
  }

  identity(): { peerId: string; multiaddrs: string[] } {
    if (!this.host) return { peerId: this.peerIdStr || 'unstarted', multiaddrs: [] }
    return { peerId: this.peerIdStr, multiaddrs: this.host.getMultiaddrs().map((a) => a.toString()) }
  }

  peers(): PeerView[] {
    return [...this.membership.all()].map((m) => ({ id: m.name, peer_id: m.peerId, addresses: m.addresses, enclave: m.enclave, latency_ms: m.latencyMs }))
  }

  healthy(): boolean {
    if (!this.host) return false
    if (this.config.peers.length === 0 && this.config.network !== 'public') return true
    if (this.host.getConnections().length > 0) {
      this.lastConnectedAt = this.clock.now()
      return true
    }
    return this.clock.now() - this.lastConnectedAt <= this.profile.healthGraceMs
  }

  /** Peers subscribed to the announcement topic (tests wait for the gossip mesh). */
  gossipPeers(): string[] {
    return this.host ? this.host.services.pubsub.getSubscribers(ANNOUNCE_TOPIC).map((p: PeerId) => p.toString()) : []
  }

  /** Peers in kad-dht's routing table. */
  routingTablePeers(): number {
    return this.host?.services.dht.routingTable?.size ?? 0
  }

  /**
   * Repairs what a missed event leaves behind: a connected peer whose identify failed (so it is not a
   * member) is identified again, a bounded number of times; a directory sync that failed is retried
   * with another member of our enclave.
   */
  private reconcile(): void {
    const host = this.host
    if (!host) return
    let started = 0
    for (const conn of host.getConnections()) {
      const id = conn.remotePeer.toString()
      if (this.membership.get(id) || started >= REIDENTIFY_PER_TICK) continue
      const n = this.reidentified.get(id) ?? 0
      if (n >= MAX_REIDENTIFY_ATTEMPTS) continue
      if (this.reidentified.size > 10_000) this.reidentified.clear()
      this.reidentified.set(id, n + 1)
      started++
      void host.services.identify
        .identify(conn, { signal: AbortSignal.timeout(5_000) })
        .then((r: { peerId: PeerId; agentVersion?: string; protocols: string[]; listenAddrs: Array<{ toString(): string }> }) => {
          if (!this.gate.joined) this.identifiedPeers.add(id)
          this.membership.identified({ peerId: id, agentVersion: r.agentVersion, protocols: r.protocols, listenAddrs: r.listenAddrs.map((a) => a.toString()) })
        })
        .catch(() => {})
    }
    if (!this.directorySynced && !this.synced) {
      const candidates = [...this.membership.all()].filter((m) => m.enclave === this.config.enclave)
      if (candidates.length > 0) void this.syncDirectory(candidates[Math.floor(Math.random() * candidates.length)].peerId)
    }
  }

  private async syncDirectory(peer: string): Promise<void> {
    if (!this.wire || this.synced) return
    this.synced = true
    const protocols = repramProtocols({ ...this.limits, directoryPageEntries: DIRECTORY_PAGE_ENTRIES })
    let after = ''
    try {
      for (;;) {
        const res = await this.wire.request(peer, protocols.directory, { after, limit: DIRECTORY_PAGE_ENTRIES, enclave: this.config.enclave })
        if (res.status !== DirectoryStatus.DIRECTORY_OK) throw new Error(`directory sync refused: ${res.status}`)
        const verdict = this.announcements?.apply(peer, this.config.enclave, res.entries, false)
        if (verdict === Verdict.Reject) throw new Error('directory page rejected')
        if (!res.more || res.entries.length === 0) break
        after = res.entries[res.entries.length - 1].key
      }
      this.directorySynced = true
      this.log.debug('directory synced', { peer, keys: this.directory.size })
    } catch (err) {
      this.synced = false
      this.log.debug('directory sync failed', { peer, err: err as Error })
    }
  }

  /**
   * Refreshes members' latency from the round trip libp2p's connection monitor already measures on
   * every connection (conn.rtt): no extra ping streams, which on a busy 50-node host competed with the
   * monitor's own pings (a failed monitor ping aborts the connection) and with kad-dht's.
   */
  private pingMembers(): void {
    const host = this.host
    if (!host) return
    for (const c of host.getConnections()) {
      const rtt = (c as { rtt?: number }).rtt
      if (rtt !== undefined && this.membership.get(c.remotePeer.toString())) this.membership.setLatency(c.remotePeer.toString(), rtt)
    }
  }

  /** Measures one member's round trip (topology latency); failures leave the last figure. */
  private async ping(peerId: string): Promise<void> {
    const host = this.host
    if (!host) return
    try {
      const ms: number = await host.services.ping.ping(peerIdFromString(peerId), { signal: AbortSignal.timeout(5_000) })
      this.membership.setLatency(peerId, ms)
    } catch {}
  }
}
