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
import { MembershipFeed } from '../placement/membership-feed.js'
import { FILL_INTERVAL_MS, MeshFiller } from '../placement/mesh-filler.js'
import { Placement } from '../placement/placement.js'
import { peerPoint } from '../placement/xor-distance.js'
import type { RecordMeta, StoredRecord } from '../store/record.js'
import type { ListPage, ListQuery } from '../store/types.js'
import { repramProtocols } from '../wire/repram-protocols.js'
import { WireEngine } from '../wire/wire-engine.js'
import { Announcements, Verdict } from './announcements.js'
import { Directory } from './directory.js'
import { DirectorySync } from './directory-sync.js'
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
  private feed: MembershipFeed | undefined
  /** A late joiner's listing: the directory fetched once from a member. */
  private dirSync: DirectorySync | undefined
  /** Peers identified before the join (the join gate waits until every connection has identified). */
  private readonly identifiedPeers = new Set<string>()
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
    const feed = new MembershipFeed(
      { host, membership: this.membership },
      {
        identified: (peerId) => {
          if (!this.gate.joined) this.identifiedPeers.add(peerId)
        },
        connected: () => {
          this.lastConnectedAt = this.clock.now()
        },
        disconnectedAll: () => this.dialer?.disconnectedAll(),
        // The filler scans the peer store only when a peer may have appeared or gone.
        peerSeen: () => this.filler?.poke(),
      },
    )
    this.feed = feed
    feed.start()
    this.cleanups.push(() => feed.stop())
    const dirSync = new DirectorySync({ wire, protocols, announcements, logger }, { enclave: this.config.enclave })
    this.dirSync = dirSync
    const onChanged = (peerId: string, kind: 'joined' | 'left'): void => {
      this.log.debug(`peer ${kind}`, { peer: peerId })
      this.rebalancer?.schedule()
      if (kind === 'joined') void feed.ping(peerId)
      if (kind === 'joined' && !dirSync.busyOrDone && this.membership.get(peerId)?.enclave === this.config.enclave) void dirSync.from(peerId)
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
    this.timers.push(setInterval(() => feed.refreshLatency(), PING_INTERVAL_MS))
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
        return this.dirSync?.done === true || enclaveMembers() === 0
      },
      {
        graceMs: this.profile.healthGraceMs,
        now: () => this.clock.now(),
        describe: () => ({ members: this.membership.size, connections: host.getConnections().length, directory_synced: this.dirSync?.done === true }),
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
    this.feed?.reidentify()
    const dirSync = this.dirSync
    if (dirSync && !dirSync.busyOrDone) {
      const candidates = [...this.membership.all()].filter((m) => m.enclave === this.config.enclave)
      if (candidates.length > 0) void dirSync.from(candidates[Math.floor(Math.random() * candidates.length)].peerId)
    }
  }
}
