/**
 * libp2p tuning per network profile. `standard` ships: sane inbound limits for the public internet
 * and gossipsub's IP-colocation penalty intact. `loopback` is for tests and simulations that start many
 * nodes on 127.0.0.1: it raises inbound thresholds, allow-lists loopback and shortens timers. It is
 * never chosen by default.
 */
import type { NetworkProfile } from '../node/config.js'

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
  gossipHeartbeatMs: 100,
  redialMinMs: 100,
  redialMaxMs: 2_000,
  healthGraceMs: 3_000,
  rebalanceDebounceMs: 100,
})

export function hostProfile(profile: NetworkProfile): HostProfile {
  return profile === 'loopback' ? LOOPBACK_PROFILE : STANDARD_PROFILE
}
