/**
 * The replicator's Prometheus metrics: pushes by kind and outcome, push and read latency, peers,
 * directory size and background queue depth. libp2p's own metrics join the same registry.
 */
import { Gauge, Histogram, type Registry } from 'prom-client'
import { KindOutcomeCounter, OutcomeCounter } from '../shared/counters.js'
import { PUSH_KINDS, PUSH_OUTCOMES, type PushKind, type PushOutcome } from './push-outcome.js'

export const FETCH_OUTCOMES = ['found', 'not_found', 'failed'] as const
export type FetchOutcome = (typeof FETCH_OUTCOMES)[number]

export interface ReplicationMetrics {
  pushes: KindOutcomeCounter<PushKind, PushOutcome>
  pushLatency: Histogram<'kind'>
  fetches: OutcomeCounter<FetchOutcome>
  readLatency: Histogram<string>
}

const LATENCY_BUCKETS_S = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

export function createReplicationMetrics(
  registry: Registry | undefined,
  gauges: { peers: () => number; directory: () => number; pending: () => number },
): ReplicationMetrics {
  const registers = registry ? [registry] : []
  new Gauge({
    name: 'repram_peers',
    help: 'REPRAM peers connected and identified',
    registers,
    collect() {
      this.set(gauges.peers())
    },
  })
  new Gauge({
    name: 'repram_directory_keys',
    help: 'Live keys of the mesh known to this node (listing)',
    registers,
    collect() {
      this.set(gauges.directory())
    },
  })
  new Gauge({
    name: 'repram_replication_pending',
    help: 'Records waiting in the background replication queue',
    registers,
    collect() {
      this.set(gauges.pending())
    },
  })
  return {
    pushes: new KindOutcomeCounter(registry, {
      name: 'repram_replication_pushes_total',
      help: 'Records pushed to replicas, by kind (write, handoff) and outcome (ok, stale, full, failed, …)',
      kinds: PUSH_KINDS,
      outcomes: PUSH_OUTCOMES,
    }),
    pushLatency: new Histogram({
      name: 'repram_replication_push_seconds',
      help: 'Latency of a push to a remote replica',
      labelNames: ['kind'],
      buckets: LATENCY_BUCKETS_S,
      registers,
    }),
    fetches: new OutcomeCounter(registry, {
      name: 'repram_replication_fetches_total',
      help: 'Reads sent to remote replicas, by outcome (found, not_found, failed)',
      outcomes: FETCH_OUTCOMES,
    }),
    readLatency: new Histogram({ name: 'repram_replication_read_seconds', help: 'Latency of a mesh read', buckets: LATENCY_BUCKETS_S, registers }),
  }
}
