/**
 * Feeds the membership from the libp2p host: a peer becomes a member when it identifies with the
 * REPRAM store protocol and leaves when it disconnects. A connected peer whose identify failed (it can
 * time out under load) is identified again, a bounded number of times. Members' latency for the
 * topology comes from one ping when they join and then from the round trips libp2p's connection
 * monitor already measures on every connection (no extra ping streams).
 */
import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { RepramLibp2p } from '../host/create-host.js'
import type { Membership } from '../placement/membership.js'
import { BoundedMap, MAX_TRACKED_PEERS } from '../shared/bounded-map.js'

/** Re-identify attempts per connected peer that never became a member. */
export const MAX_REIDENTIFY_ATTEMPTS = 3
/** Re-identifications started per `reidentify()` call. */
export const REIDENTIFY_PER_CALL = 8
/** One identify or ping gives up after this long. */
const PROBE_TIMEOUT_MS = 5_000
/** How often members' latency is refreshed from the connection monitor's round trips (topology only). */
export const LATENCY_REFRESH_MS = 10_000

interface IdentifyDetail {
  peerId: PeerId
  agentVersion?: string
  protocols: string[]
  listenAddrs: Array<{ toString(): string }>
}

export interface MembershipFeedEvents {
  /** A peer identified (member or not: the join gate waits for every connection to identify). */
  identified?: (peerId: string) => void
  /** A connection opened. */
  connected?: () => void
  /** The last connection closed. */
  disconnectedAll?: () => void
  /** A peer may have appeared or gone (the mesh filler rescans the peer store). */
  peerSeen?: () => void
}

export class MembershipFeed {
  private readonly host: RepramLibp2p
  private readonly membership: Membership
  private readonly on: MembershipFeedEvents
  /** Re-identify attempts per peer (the oldest peer forgotten first: bounded memory under churn). */
  private readonly attempts = new BoundedMap<string, number>(MAX_TRACKED_PEERS)
  private readonly listeners: Array<[string, (evt: CustomEvent) => void]>
  private started = false
  private timer: NodeJS.Timeout | undefined

  constructor(components: { host: RepramLibp2p; membership: Membership }, init: MembershipFeedEvents = {}) {
    this.host = components.host
    this.membership = components.membership
    this.on = init
    this.listeners = [
      ['peer:identify', (evt) => this.identified(evt.detail as IdentifyDetail)],
      [
        'peer:disconnect',
        (evt) => {
          this.membership.disconnected((evt.detail as PeerId).toString())
          if (this.host.getConnections().length === 0) this.on.disconnectedAll?.()
          this.on.peerSeen?.()
        },
      ],
      ['peer:connect', () => this.on.connected?.()],
      ['peer:discovery', () => this.on.peerSeen?.()],
    ]
  }

  start(): void {
    if (this.started) return
    this.started = true
    for (const [name, fn] of this.listeners) this.host.addEventListener(name as 'peer:identify', fn as never)
    this.timer = setInterval(() => this.refreshLatency(), LATENCY_REFRESH_MS)
    this.timer.unref()
  }

  stop(): void {
    if (!this.started) return
    this.started = false
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    for (const [name, fn] of this.listeners) this.host.removeEventListener(name as 'peer:identify', fn as never)
    this.attempts.clear()
  }

  /** Identifies again connected peers that are not members (a missed or failed identify), bounded. */
  reidentify(): void {
    let started = 0
    for (const conn of this.host.getConnections()) {
      const id = conn.remotePeer.toString()
      if (this.membership.get(id) || started >= REIDENTIFY_PER_CALL) continue
      const n = this.attempts.get(id) ?? 0
      if (n >= MAX_REIDENTIFY_ATTEMPTS) continue
      this.attempts.set(id, n + 1)
      started++
      void this.host.services.identify
        .identify(conn, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
        .then((r: IdentifyDetail) => this.identified({ ...r, peerId: conn.remotePeer }))
        .catch(() => {})
    }
  }

  /** Refreshes members' latency from the connection monitor's last round trip on each connection. */
  refreshLatency(): void {
    for (const c of this.host.getConnections()) {
      const rtt = (c as { rtt?: number }).rtt
      const id = c.remotePeer.toString()
      if (rtt !== undefined && this.membership.get(id)) this.membership.setLatency(id, rtt)
    }
  }

  /** Measures one member's round trip now (when it joins); a failure leaves the last figure. */
  async ping(peerId: string): Promise<void> {
    try {
      const ms: number = await this.host.services.ping.ping(peerIdFromString(peerId), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
      this.membership.setLatency(peerId, ms)
    } catch {}
  }

  private identified(d: IdentifyDetail): void {
    const id = d.peerId.toString()
    this.on.identified?.(id)
    this.membership.identified({ peerId: id, agentVersion: d.agentVersion, protocols: d.protocols, listenAddrs: d.listenAddrs.map((a) => a.toString()) })
  }
}
