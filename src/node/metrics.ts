/**
 * The node's Prometheus registry and the metrics the facade and store own. Front doors and the
 * replicator add their own metrics to the same registry.
 */
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import { OutcomeCounter } from '../shared/counters.js'
import type { RecordStore } from '../store/types.js'

export interface NodeMetrics {
  registry: Registry
  expirations: Counter
  writes: OutcomeCounter<'confirmed' | 'pending' | 'rejected'>
  reads: OutcomeCounter<'hit' | 'miss'>
}

export function createNodeMetrics(store: RecordStore, init: { defaultMetrics?: boolean; registry?: Registry } = {}): NodeMetrics {
  const registry = init.registry ?? new Registry()
  if (init.defaultMetrics ?? true)
    // prom-client's names already start with process_/nodejs_: one `repram_` prefix gives
    // repram_process_cpu_seconds_total, not the old doubled repram_process_process_….
    collectDefaultMetrics({ register: registry, prefix: 'repram_' })
  new Gauge({
    name: 'repram_keys',
    help: 'Live keys held by this node',
    registers: [registry],
    collect() {
      this.set(store.size)
    },
  })
  new Gauge({
    name: 'repram_bytes',
    help: 'Payload bytes held by this node',
    registers: [registry],
    collect() {
      this.set(store.bytes)
    },
  })
  const expirations = new Counter({ name: 'repram_expirations_total', help: 'Records forgotten because their TTL ran out', registers: [registry] })
  const writes = new OutcomeCounter(registry, {
    name: 'repram_writes_total',
    help: 'PUTs taken by this node, by outcome (confirmed, pending, rejected)',
    outcomes: ['confirmed', 'pending', 'rejected'] as const,
  })
  const reads = new OutcomeCounter(registry, {
    name: 'repram_reads_total',
    help: 'GET/HEADs answered by this node, by outcome (hit, miss)',
    outcomes: ['hit', 'miss'] as const,
  })
  store.on('expired', () => expirations.inc())
  return { registry, expirations, writes, reads }
}
