/**
 * MeshReplicator: the Replicator of a libp2p mesh. Once the host exists it builds its parts — the wire
 * engine with the store/fetch/directory handlers, membership and placement, the write and read paths,
 * announcements and the directory, background retries, the late joiner's directory sync and churn
 * handoff — and starts them in dependency order; it stops them in reverse, after handing its keys on
 * when leaving gracefully. Each part owns its own timers and subscriptions.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import type { Registry } from 'prom-client'
import { DIRECTORY_PAGE_ENTRIES, STORE_PROTOCOL } from '../../protocols/ids.js'
import { createHost, type HostConfig, type RepramLibp2p } from '../host/create-host.js'
import { loadOrCreateIdentity } from '../host/identity.js'
import { PUBLIC_BOOTSTRAP_PEERS, toDialAddress } from '../host/peer-addresses.js'
import { type HostProfile, hostProfile } from '../host/profile.js'
import { MeshMembership } from '../membership/mesh-membership.js'
import type { Replicator, WriteOutcome } from '../node/replicator.js'
import type { PeerView } from '../node/types.js'
import { Membership } from '../placement/membership.js'
import { Placement } from '../placement/placement.js'
import { peerPoint } from '../placement/xor-distance.js'
import type { Clock } from '../shared/clock.js'
import type { NodeConfig } from '../shared/config.js'
import { UnavailableError } from '../shared/errors.js'
import type { HybridLogicalClock } from '../shared/hlc.js'
import type { Logger } from '../shared/logger.js'
import type { RecordMeta, StoredRecord } from '../store/record.js'
import type { ListPage, ListQuery } from '../store/types.js'
import { repramProtocols } from '../wire/repram-protocols.js'
import { WireEngine } from '../wire/wire-engine.js'
import { Announcements } from './announcements.js'
import { Directory } from './directory.js'
import { DirectorySync } from './directory-sync.js'
import { ReplicaHandlers } from './handlers.js'
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
/** Protocol violations after which a peer is disconnected (again at every multiple). */
export const MAX_STRIKES_BEFORE_HANGUP = 5

/** What the mesh replicator reads of the node's configuration. */
export type MeshReplicatorInit = HostConfig &
  Pick<NodeConfig, 'keyFile' | 'replication' | 'peers' | 'profile' | 'maxKeyBytes' | 'maxValueBytes' | 'maxTtlSeconds' | 'writeTimeoutMs'>

export interface MeshReplicatorComponents {
  clock: Clock
  logger: Logger
  store: DroppableStore
  /** The node's registry: the replicator's and libp2p's metrics join it. */
  registry?: Registry
  /** The node's version clock: it observes every version that reaches this node (records, answers, announcements). */
  hlc?: HybridLogicalClock
}

/** A part with a lifecycle, started in list order and stopped in reverse. */
interface Part {
  start(): void | Promise<void>
  stop(): void | Promise<void>
}

/** What exists only while started: the host and everything built on it. */
interface Running {
  host: RepramLibp2p
  wire: WireEngine
  placement: Placement
  writes: WritePath
  reads: ReadPath
  retry: RetryQueue
  rebalancer: Rebalancer
  mesh: MeshMembership
  announcements: Announcements
  parts: Part[]
}

export class MeshReplicator implements Replicator {
  private readonly c: MeshReplicatorComponents
  private readonly init: MeshReplicatorInit
  private readonly profile: HostProfile
  private readonly limits: RecordLimits
  private readonly metrics: ReplicationMetrics
  readonly directory: Directory
  readonly membership: Membership
  private readonly floor: VersionFloor
  private running: Running | undefined
  private accepting = false
  private peerIdStr = ''

  constructor(components: MeshReplicatorComponents, init: MeshReplicatorInit) {
    this.c = components
    this.init = init
    this.profile = hostProfile(init.profile)
    this.membership = new Membership({ clock: components.clock }, { requiredProtocol: STORE_PROTOCOL })
    this.limits = { maxKeyBytes: init.maxKeyBytes, maxValueBytes: init.maxValueBytes, maxTtlSeconds: init.maxTtlSeconds }
    // Lists this node's own keys from the store itself; holds only keys held elsewhere.
    this.directory = new Directory({ store: components.store, clock: components.clock })
    // The floor lives as long as this replicator, stopped or not: its memory must span a stop and a
    // start, and records that expire while the node is stopped leave at the next start's first store
    // sweep, before the mesh could replay an older copy. So it starts here and is never stopped.
    this.floor = new VersionFloor({ store: components.store, clock: components.clock }, { maxTtlMs: init.maxTtlSeconds * 1000 })
    this.floor.start()
    this.metrics = createReplicationMetrics(components.registry, {
      peers: () => this.membership.size,
      directory: () => this.directory.size,
      pending: () => this.running?.retry.size ?? 0,
    })
  }

  get libp2p(): RepramLibp2p | undefined {
    return this.running?.host
  }

  async start(): Promise<void> {
    if (this.running) return
    const privateKey = await loadOrCreateIdentity(this.init.keyFile)
    const host = await createHost(this.init, { privateKey, profile: this.profile, registry: this.c.registry })
    const running = this.build(host)
    this.running = running
    for (const part of running.parts) await part.start()
    const { multiaddrs } = this.identity()
    this.c.logger.info('libp2p listening', { peer_id: this.peerIdStr, multiaddrs: multiaddrs.join(',') })
  }

  /** Builds every part on `host`, wired, in start order. */
  private build(host: RepramLibp2p): Running {
    const { clock, store, hlc } = this.c
    const log = this.c.logger
    const metrics = this.metrics
    const enclave = this.init.enclave
    const limits = this.limits
    const selfId = host.peerId.toString()
    this.peerIdStr = selfId
    const protocols = repramProtocols({ ...limits, directoryPageEntries: DIRECTORY_PAGE_ENTRIES })
    const wire = new WireEngine({ host, logger: log.child('wire') })
    const placement = new Placement({ membership: this.membership }, { selfId, selfPoint: peerPoint(selfId), enclave, replication: this.init.replication })
    const pusher = new Pusher({ clock, logger: log, store, wire, protocols, floor: this.floor, metrics, hlc }, { selfId, enclave })
    const announcements = new Announcements({ clock, logger: log.child('announce'), directory: this.directory, hlc }, { enclave, limits })
    const retry = new RetryQueue({ clock, logger: log, placement, pusher, announce: (rec) => announcements.announce(rec) })
    const writes = new WritePath({ placement, pusher, retry, announcements })
    const reads = new ReadPath({ clock, store, placement, wire, protocols, pusher, metrics, hlc }, { enclave, limits })
    const rebalancer = new Rebalancer(
      { clock, logger: log.child('rebalance'), store, placement, pusher, membership: this.membership },
      { selfId, debounceMs: this.profile.rebalanceDebounceMs },
    )
    const handlers = new ReplicaHandlers(
      { clock, store, floor: this.floor, directory: this.directory, hlc },
      { enclave, limits, accepting: () => this.accepting, onStored: (key) => rebalancer.noteStored(key) },
    )
    // A peer that keeps breaking our protocols (garbage, oversized frames) is disconnected.
    wire.on('peer:misbehaved', (peer, strikes) => {
      if (strikes % MAX_STRIKES_BEFORE_HANGUP === 0) {
        log.warn('disconnecting a misbehaving peer', { peer, strikes })
        void host.hangUp(peerIdFromString(peer)).catch(() => {})
      }
    })
    wire.register(protocols.store, handlers.store)
    wire.register(protocols.fetch, handlers.fetch)
    wire.register(protocols.directory, handlers.directory)
    const dirSync = new DirectorySync({ wire, protocols, announcements, logger: log, membership: this.membership }, { enclave })
    const peers = [...this.init.peers, ...(this.init.network === 'public' ? PUBLIC_BOOTSTRAP_PEERS : [])].map(toDialAddress)
    const mesh = new MeshMembership(
      { host, membership: this.membership, clock, logger: log, wire, protocols },
      {
        peers,
        enclave,
        requiredProtocol: STORE_PROTOCOL,
        redialMinMs: this.profile.redialMinMs,
        redialMaxMs: this.profile.redialMaxMs,
        graceMs: this.profile.healthGraceMs,
        ready: () => dirSync.done,
        describe: () => ({ directory_synced: dirSync.done }),
      },
    )
    const pubsub = host.services.pubsub
    const parts: Part[] = [
      // Members are seen from the first event on; they are forgotten last.
      { start: () => mesh.observe(), stop: () => this.membership.clear() },
      this.directory,
      wire,
      // Stores are taken only between the wire's start and the handoff at stop.
      {
        start: () => {
          this.accepting = true
        },
        stop: () => {
          this.accepting = false
        },
      },
      { start: () => announcements.start(pubsub), stop: () => announcements.stop() },
      retry,
      rebalancer,
      dirSync,
      mesh,
    ]
    return { host, wire, placement, writes, reads, retry, rebalancer, mesh, announcements, parts }
  }

  async stop(options: { handoff?: boolean } = {}): Promise<void> {
    const running = this.running
    if (!running) return
    this.accepting = false
    const { host, rebalancer, parts } = running
    // Leaving: stop dialling and joining, hand keys on while the wire still works, then the rest.
    running.mesh.stop()
    if ((options.handoff ?? true) && this.membership.size > 0 && this.c.store.size > 0) {
      const moved = await rebalancer.leave(AbortSignal.timeout(LEAVE_HANDOFF_MS)).catch(() => 0)
      this.c.logger.info('left the mesh', { handed_off: moved })
    }
    for (const part of [...parts].reverse()) await part.stop()
    await host.stop()
    this.running = undefined
  }

  private started(): Running {
    const running = this.running
    if (!running) throw new UnavailableError('The node is not running.')
    return running
  }

  async write(rec: StoredRecord, options: { signal?: AbortSignal; timeoutMs: number }): Promise<WriteOutcome> {
    const running = this.started()
    if (running.mesh.joined) return running.writes.write(rec, options)
    // Joining: a quorum counted now would be over a partial view. Wait (within the write timeout).
    const begun = this.c.clock.now()
    await running.mesh.whenJoined(options.timeoutMs, options.signal)
    return this.started().writes.write(rec, { ...options, timeoutMs: Math.max(1, options.timeoutMs - (this.c.clock.now() - begun)) })
  }

  async read(key: string, options: { signal?: AbortSignal }): Promise<StoredRecord | undefined> {
    return this.readJoined(key, options, false) as Promise<StoredRecord | undefined>
  }

  async readMeta(key: string, options: { signal?: AbortSignal }): Promise<RecordMeta | undefined> {
    return this.readJoined(key, options, true)
  }

  /**
   * The key's read set is this node alone (a mesh of one, or R = 1 and this node the replica), it has
   * joined, and no recently lost member is among the key's voters: a node cut off from the rest by a
   * partition sees itself alone, but what the others wrote meanwhile is judged by the read path (a
   * miss there is a 503 until the lost members come back or are forgotten, see Placement.votersFor).
   */
  localOnly(key: string): boolean {
    const running = this.running
    if (!running || !this.accepting || !running.mesh.joined) return false
    const replicas = running.placement.replicasFor(key)
    if (replicas.length !== 1 || !replicas[0].self) return false
    const voters = running.placement.votersFor(key)
    return voters === undefined || voters.count === 1
  }

  /** Reads once joined (waiting up to the write timeout); a miss on a partial view is not a 404. */
  private async readJoined(key: string, options: { signal?: AbortSignal }, metaOnly: boolean): Promise<RecordMeta | undefined> {
    const running = this.started()
    const joined = running.mesh.joined || (await running.mesh.whenJoined(this.init.writeTimeoutMs, options.signal))
    const rec = await this.started().reads.read(key, { ...options, metaOnly })
    if (rec === undefined && !joined) throw new UnavailableError('This node is still joining the mesh; its view of the key may be incomplete.')
    return rec
  }

  /** True once the node has joined the mesh (or, with no peer reachable, given up and serves alone). */
  get joined(): boolean {
    return this.running?.mesh.joined ?? false
  }

  /** Resolves once joined, at most `timeoutMs`; true when joined. */
  whenJoined(timeoutMs: number): Promise<boolean> {
    return this.started().mesh.whenJoined(timeoutMs)
  }

  list(query: ListQuery): ListPage {
    return this.directory.list(query, this.c.clock.now())
  }

  identity(): { peerId: string; multiaddrs: string[] } {
    const host = this.running?.host
    if (!host) return { peerId: this.peerIdStr || 'unstarted', multiaddrs: [] }
    return { peerId: this.peerIdStr, multiaddrs: host.getMultiaddrs().map((a) => a.toString()) }
  }

  peers(): PeerView[] {
    return [...this.membership.all()].map((m) => ({ id: m.name, peer_id: m.peerId, addresses: m.addresses, enclave: m.enclave, latency_ms: m.latencyMs }))
  }

  healthy(): boolean {
    return this.running?.mesh.healthy() ?? false
  }

  /** Peers subscribed to the announcement topic (tests wait for the gossip mesh). */
  gossipPeers(): string[] {
    return this.running?.announcements.subscribers() ?? []
  }

  /** Rebalance runs completed (tests wait on it). */
  get rebalanceRuns(): number {
    return this.running?.rebalancer.runs ?? 0
  }
}
