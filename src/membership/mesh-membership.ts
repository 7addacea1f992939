/**
 * MeshMembership: everything that keeps this node in the mesh and tells the rest who is in it, as one
 * Startable. It owns the membership feed (identify/disconnect → members), the bootstrap dialer, the
 * mesh filler, the join gate, and the two periodic repairs of missed events (re-identify, latency).
 * Placement reads the member set it maintains (`Membership`, in placement/, since members carry their
 * XOR point); replication waits on `joined` before it counts quorums or answers a miss.
 *
 * Joined means: the first round of bootstrap dials settled; a member of our enclave told us its view
 * of the members (the membership exchange) and each member it listed is a member here too, or could
 * not be dialled; every peer we are connected to has identified (so membership — and placement —
 * covers them); and the caller's own readiness holds (the replicator's: the directory came from a
 * member of our enclave). Without peers to join, at once; with none answering, after the grace period.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { RepramLibp2p } from '../host/create-host.js'
import type { Membership } from '../placement/membership.js'
import type { Clock } from '../shared/clock.js'
import type { Logger } from '../shared/logger.js'
import type { RepramProtocols } from '../wire/repram-protocols.js'
import type { WireEngine } from '../wire/wire-engine.js'
import { BootstrapDialer } from './bootstrap-dialer.js'
import { JoinGate } from './join-gate.js'
import { type ExchangeHost, MemberExchange } from './member-exchange.js'
import { MembershipFeed } from './membership-feed.js'
import { type FillerHost, MeshFiller } from './mesh-filler.js'

/** How often a missed identify is repaired (a connected peer that never became a member). */
export const RECONCILE_INTERVAL_MS = 1_000

export interface MeshMembershipComponents {
  host: RepramLibp2p
  membership: Membership
  clock: Clock
  logger: Logger
  /** The wire engine: the membership exchange's handler is registered on it (before it starts). */
  wire: WireEngine
  protocols: RepramProtocols
}

export interface MeshMembershipInit {
  /** Peers to dial at start and re-dial while alone (configured, plus the public bootstrap list). */
  peers: Multiaddr[]
  enclave: string
  /** The protocol a peer must speak to be a member (and to be dialled by the filler). */
  requiredProtocol: string
  redialMinMs: number
  redialMaxMs: number
  /** Join: how long to wait for the mesh before serving with what was seen. Health: how long alone is still healthy. */
  graceMs: number
  /** The caller's own condition for "joined" beyond membership (default: none). */
  ready?: () => boolean
  /** Reported in the join log lines. */
  describe?: () => Record<string, unknown>
}

export class MeshMembership {
  private readonly c: MeshMembershipComponents
  private readonly init: MeshMembershipInit
  private readonly feed: MembershipFeed
  private readonly dialer: BootstrapDialer
  private readonly filler: MeshFiller
  private readonly gate: JoinGate
  private readonly exchange: MemberExchange
  /** Peers identified before the join (the gate waits until every connection has identified). */
  private readonly identifiedPeers = new Set<string>()
  private lastConnectedAt = 0
  private timer: NodeJS.Timeout | undefined
  private started = false
  private readonly onChanged = (peerId: string, kind: 'joined' | 'left'): void => {
    this.c.logger.debug(`peer ${kind}`, { peer: peerId })
    if (kind !== 'joined') return
    void this.feed.ping(peerId)
    if (!this.gate.joined && !this.exchange.busyOrDone && this.c.membership.get(peerId)?.enclave === this.init.enclave) void this.exchange.from(peerId)
  }

  constructor(components: MeshMembershipComponents, init: MeshMembershipInit) {
    this.c = components
    this.init = init
    const { host, membership, logger } = components
    this.gate = new JoinGate({ logger: logger.child('join') })
    this.exchange = new MemberExchange(
      { wire: components.wire, protocols: components.protocols, host: host as unknown as ExchangeHost, membership, logger: logger.child('members') },
      { enclave: init.enclave },
    )
    components.wire.register(components.protocols.members, this.exchange.answer)
    this.dialer = new BootstrapDialer(
      { host, logger: logger.child('bootstrap') },
      { peers: init.peers, minDelayMs: init.redialMinMs, maxDelayMs: init.redialMaxMs },
    )
    this.filler = new MeshFiller(
      { host: host as unknown as FillerHost, logger: logger.child('filler'), now: () => components.clock.now() },
      { requiredProtocol: init.requiredProtocol, bootstrap: init.peers },
    )
    this.feed = new MembershipFeed(
      { host, membership },
      {
        identified: (peerId) => {
          if (!this.gate.joined) this.identifiedPeers.add(peerId)
        },
        connected: () => {
          this.lastConnectedAt = components.clock.now()
        },
        disconnectedAll: () => this.dialer.disconnectedAll(),
        // The filler scans the peer store only when a peer may have appeared or gone.
        peerSeen: () => this.filler.poke(),
      },
    )
  }

  /**
   * Starts listening to the host's peer events, before anything else of the node starts: a peer that
   * connects and identifies while the rest starts up is then a member at once. start() calls it too.
   */
  observe(): void {
    this.feed.start()
  }

  start(): void {
    if (this.started) return
    this.started = true
    this.lastConnectedAt = this.c.clock.now()
    this.c.membership.on('changed', this.onChanged)
    this.feed.start()
    this.dialer.start()
    this.filler.start()
    this.timer = setInterval(() => this.reconcile(), RECONCILE_INTERVAL_MS)
    this.timer.unref()
    this.watchJoin()
  }

  stop(): void {
    if (!this.started) return
    this.started = false
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.gate.stop()
    this.exchange.stop()
    this.filler.stop()
    this.dialer.stop()
    this.feed.stop()
    this.c.membership.off('changed', this.onChanged)
    this.identifiedPeers.clear()
  }

  /** True once the node has joined the mesh (or, with no peer reachable in the grace period, serves alone). */
  get joined(): boolean {
    return this.gate.joined
  }

  /** Resolves once joined, at most `timeoutMs` (or until `signal` aborts); true when joined. */
  whenJoined(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return this.gate.wait(timeoutMs, signal)
  }

  /** False while a node that has peers to join has had no connection for longer than the grace period. */
  healthy(): boolean {
    if (!this.started) return false
    if (this.init.peers.length === 0) return true
    if (this.c.host.getConnections().length > 0) {
      this.lastConnectedAt = this.c.clock.now()
      return true
    }
    return this.c.clock.now() - this.lastConnectedAt <= this.init.graceMs
  }

  /** Members of our enclave right now. */
  enclaveMembers(): string[] {
    const out: string[] = []
    for (const m of this.c.membership.all()) if (m.enclave === this.init.enclave) out.push(m.peerId)
    return out
  }

  /**
   * Repairs what a missed event leaves behind: a connected peer whose identify failed is identified
   * again (bounded); while joining, listed members not yet dialled are dialled and a failed exchange
   * is retried with another member of our enclave.
   */
  private reconcile(): void {
    this.feed.reidentify()
    if (this.gate.joined) return
    this.exchange.dialPending()
    if (!this.exchange.busyOrDone) {
      const candidates = this.enclaveMembers()
      if (candidates.length > 0) void this.exchange.from(candidates[Math.floor(Math.random() * candidates.length)])
    }
  }

  private watchJoin(): void {
    if (this.init.peers.length === 0) {
      this.gate.openNow()
      return
    }
    let dialled = false
    void this.dialer.firstRound.then(() => {
      dialled = true
    })
    const { host, membership } = this.c
    this.gate.watch(
      () => {
        if (!dialled || membership.size === 0) return false
        for (const conn of host.getConnections()) if (!this.identifiedPeers.has(conn.remotePeer.toString())) return false
        if (this.enclaveMembers().length === 0) return true
        return this.exchange.settled && (this.init.ready?.() ?? true)
      },
      {
        graceMs: this.init.graceMs,
        now: () => this.c.clock.now(),
        describe: () => ({
          members: membership.size,
          connections: host.getConnections().length,
          members_exchanged: this.exchange.done,
          members_pending: this.exchange.pending(),
          ...this.init.describe?.(),
        }),
      },
    )
  }
}
