/**
 * The node's Prometheus registry and the metrics the facade and store own. Front doors and the
 * replicator add their own metrics to the same registry.
 */
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import type { RecordStore } from '../store/types.js'

export interface NodeMetrics {
  registry: Registry
  expirations: Counter
  writes: Counter<'outcome'>
  reads: Counter<'outcome'>
}

export function createNodeMetrics(store: RecordStore, init: { defaultMetrics?: boolean } = {}): NodeMetrics {
  const registry = new Registry()
  if (init.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'repram_process_' })
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
  const writes = new Counter({
    name: 'repram_writes_total',
    help: 'PUTs taken by this node, by outcome (confirmed, pending, rejected)',
    labelNames: ['outcome'],
    registers: [registry],
  })
  const reads = new Counter({
    name: 'repram_reads_total',
    help: 'GET/HEADs answered by this node, by outcome (hit, miss)',
    labelNames: ['outcome'],
    registers: [registry],
  })
  store.on('expired', () => expirations.inc())
  return { registry, expirations, writes, reads }
}
