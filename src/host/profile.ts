/**
 * libp2p tuning per network profile. `standard` ships: sane inbound limits for the public internet
 * and gossipsub's IP-colocation penalty intact. `loopback` is for tests and simulations that start many
 * nodes on 127.0.0.1: it raises inbound thresholds, allow-lists loopback and shortens timers. It is
 * never chosen by default.
 */
import type { NetworkProfile } from '../shared/config.js'

export interface HostProfile {
  /** New inbound connections per second per remote host before libp2p refuses. */
  inboundConnectionThreshold: number
  /** Inbound connections still upgrading at once. */
  maxIncomingPendingConnections: number
  maxConnections: number
  /** Connection-manager allow list (multiaddr prefixes never limited). */
  allow: string[]
  /** IPs exempt from gossipsub's peer-score P6 (IP colocation). */
  colocationWhitelist: string[]
  gossipHeartbeatMs: number
  /** gossipsub mesh degrees: peers each node forwards every announcement to (D), its bounds, and gossip fan-out. */
  gossipMesh: { D: number; Dlo: number; Dhi: number; Dout: number; Dscore: number; Dlazy: number; gossipFactor: number }
  /** libp2p's connection monitor: how often every connection is pinged (its round trip feeds topology latency). */
  connectionPingIntervalMs: number
  /** Abort a connection whose monitor ping fails or times out (a silent link on the internet is a dead one). */
  abortConnectionOnPingFailure: boolean
  /** Backoff bounds for re-dialling the bootstrap list while we have no connections. */
  redialMinMs: number
  redialMaxMs: number
  /** Configured with peers and none connected for longer than this → unhealthy. */
  healthGraceMs: number
  /** How long membership must be quiet before keys are handed to new replicas / repaired. */
  rebalanceDebounceMs: number
}

export const STANDARD_PROFILE: Readonly<HostProfile> = Object.freeze({
  // libp2p's defaults (5/s, 10 pending) suit a public node: a burst from one host is refused.
  inboundConnectionThreshold: 5,
  maxIncomingPendingConnections: 10,
  maxConnections: 300,
  allow: [],
  colocationWhitelist: [],
  // gossipsub's own default; announcements are not latency critical for reads.
  gossipHeartbeatMs: 1_000,
  // gossipsub's defaults: redundancy against lossy links and peers that drop messages.
  gossipMesh: { D: 6, Dlo: 4, Dhi: 12, Dout: 2, Dscore: 4, Dlazy: 6, gossipFactor: 0.25 },
  // libp2p's defaults: a NAT that dropped the mapping or a pulled cable only shows as a missed ping.
  connectionPingIntervalMs: 10_000,
  abortConnectionOnPingFailure: true,
  redialMinMs: 1_000,
  redialMaxMs: 60_000,
  healthGraceMs: 30_000,
  rebalanceDebounceMs: 1_000,
})

export const LOOPBACK_PROFILE: Readonly<HostProfile> = Object.freeze({
  // dozens of nodes dial each other from 127.0.0.1 within a second in tests and simulations.
  inboundConnectionThreshold: 10_000,
  maxIncomingPendingConnections: 1_000,
  maxConnections: 1_000,
  allow: ['/ip4/127.0.0.1', '/ip6/::1'],
  colocationWhitelist: ['127.0.0.1', '::1'],
  // gossipsub's own default here too. Announcements reach every subscriber at publish (flood
  // publish; every node is connected to every other), and subscriptions travel when a stream opens,
  // so nothing waits on the heartbeat. At 100 ms every node scored its peers and sent IHAVE gossip ten
  // times a second: a 30-node simulation went from 56 to 63 ops/s at 1 s.
  gossipHeartbeatMs: 1_000,
  // No forwarding mesh: every node is connected to every member (the mesh filler sees to it) and
  // gossipsub flood-publishes to every subscriber, so each announcement already arrives in one hop,
  // and a lossless loopback link drops nothing. A mesh of degree D only re-sent each one N × (D − 1)
  // times: half the CPU of a 30-node simulation at D = 6; at D = 0 Noise messages per write fell from
  // 111 (D = 3) to 47 and the run went from 106 to 113 ops/s (its target 100: no longer saturated).
  // IHAVE gossip to two peers a heartbeat still repairs a miss (e.g. a peer that subscribed late).
  gossipMesh: { D: 0, Dlo: 0, Dhi: 0, Dout: 0, Dscore: 0, Dlazy: 2, gossipFactor: 0 },
  // On one host the kernel closes a dead peer's sockets (kill -9 included), so a missed ping only
  // means a busy event loop: with 50 nodes in one process on 2 cores, lag past the monitor's 5 s
  // timeout aborted ~600 healthy connections at once, three times a minute, and every node's
  // membership (so placement) flapped with them. Rarer pings: 2,450 connection ends cost less CPU.
  connectionPingIntervalMs: 30_000,
  abortConnectionOnPingFailure: false,
  redialMinMs: 100,
  redialMaxMs: 2_000,
  healthGraceMs: 3_000,
  rebalanceDebounceMs: 100,
})

export function hostProfile(profile: NetworkProfile): HostProfile {
  return profile === 'loopback' ? LOOPBACK_PROFILE : STANDARD_PROFILE
}
