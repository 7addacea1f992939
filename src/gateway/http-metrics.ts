/**
 * Request counts and latencies by route, method and status, on the node's registry (so
 * `/v1/metrics` shows them next to the node's and libp2p's):
 * `repram_http_requests_total{route,method,status}` and
 * `repram_http_request_duration_seconds{route,method,status}` (a histogram).
 *
 * The hot path only bumps plain numbers in a per-label-combination cell; the Prometheus shapes are
 * built when the registry is scraped (prom-client's own observe() hashes the label object and
 * validates it on every call — measurable on a GET that costs a few microseconds). Label values are
 * bounded: the fixed route names below, known methods (others count as `OTHER`), HTTP statuses.
 */
import type { Registry } from 'prom-client'

export type RouteName = 'data' | 'keys' | 'health' | 'status' | 'topology' | 'metrics' | 'preflight' | 'not_found'

const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'OTHER'] as const
const KNOWN_METHODS: ReadonlySet<string> = new Set(METHODS.slice(0, -1))
const METHOD_INDEX = Object.fromEntries(METHODS.map((m, i) => [m, i])) as Record<string, number>
const ROUTES: readonly RouteName[] = ['data', 'keys', 'health', 'status', 'topology', 'metrics', 'preflight', 'not_found']
const ROUTE_INDEX = Object.fromEntries(ROUTES.map((r, i) => [r, i])) as Record<RouteName, number>
/** Seconds; spans a cached GET (sub-ms) to a PUT waiting out the write timeout (5 s default). */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

export const REQUESTS_METRIC = 'repram_http_requests_total'
export const LATENCY_METRIC = 'repram_http_request_duration_seconds'

interface Cell {
  labels: { route: string; method: string; status: string }
  count: number
  sum: number
  /** Non-cumulative counts per bucket of LATENCY_BUCKETS_SECONDS (the +Inf remainder is count − Σ). */
  buckets: number[]
}

interface MetricValue {
  value: number
  labels: Record<string, string | number>
  metricName?: string
}

/** The minimal shape prom-client's Registry reads from a metric when it is scraped. */
interface CollectedMetric {
  name: string
  help: string
  type: 'counter' | 'histogram'
  aggregator: 'sum'
  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: MetricValue[] }>
}

/** A metric whose values are built from our own cells each time the registry is scraped. */
function collected(name: string, help: string, type: CollectedMetric['type'], values: () => MetricValue[]): CollectedMetric {
  const meta = { name, help, type, aggregator: 'sum' as const }
  return {
    ...meta,
    async get() {
      return { ...meta, values: values() }
    },
  }
}

export class HttpMetrics {
  /** Every cell, in creation order (what a scrape walks); bounded by routes × methods × statuses. */
  private readonly cells: Cell[] = []
  private readonly byRouteMethod: Array<Map<number, Cell> | undefined> = []

  constructor(components: { registry: Registry }) {
    const registry = components.registry
    for (const name of [REQUESTS_METRIC, LATENCY_METRIC]) if (registry.getSingleMetric(name)) registry.removeSingleMetric(name)
    registry.registerMetric(this.requestsMetric() as never)
    registry.registerMetric(this.latencyMetric() as never)
  }

  observe(route: RouteName, method: string | undefined, status: number, seconds: number): void {
    // Hot path: one array index by route and method, then a small map by status (no label string built).
    const m = method !== undefined && KNOWN_METHODS.has(method) ? method : 'OTHER'
    const slot = ROUTE_INDEX[route] * METHODS.length + METHOD_INDEX[m]
    let byStatus = this.byRouteMethod[slot]
    if (byStatus === undefined) {
      byStatus = new Map()
      this.byRouteMethod[slot] = byStatus
    }
    let c = byStatus.get(status)
    if (c === undefined) {
      c = { labels: { route, method: m, status: String(status) }, count: 0, sum: 0, buckets: new Array(LATENCY_BUCKETS_SECONDS.length).fill(0) }
      byStatus.set(status, c)
      this.cells.push(c)
    }
    c.count++
    c.sum += seconds
    for (let i = 0; i < LATENCY_BUCKETS_SECONDS.length; i++) {
      if (seconds <= LATENCY_BUCKETS_SECONDS[i]) {
        c.buckets[i]++
        break
      }
    }
  }

  private requestsMetric(): CollectedMetric {
    const cells = this.cells
    return collected(REQUESTS_METRIC, 'HTTP requests answered by the gateway, by route, method and status', 'counter', () =>
      cells.map((c) => ({ value: c.count, labels: c.labels })),
    )
  }

  private latencyMetric(): CollectedMetric {
    const cells = this.cells
    return collected(LATENCY_METRIC, 'Time from request to response written, by route, method and status', 'histogram', () => {
      const values: MetricValue[] = []
      for (const c of cells) {
        let acc = 0
        for (let i = 0; i < LATENCY_BUCKETS_SECONDS.length; i++) {
          acc += c.buckets[i]
          values.push({ value: acc, labels: { ...c.labels, le: LATENCY_BUCKETS_SECONDS[i] }, metricName: `${LATENCY_METRIC}_bucket` })
        }
        values.push({ value: c.count, labels: { ...c.labels, le: '+Inf' }, metricName: `${LATENCY_METRIC}_bucket` })
        values.push({ value: c.sum, labels: c.labels, metricName: `${LATENCY_METRIC}_sum` })
        values.push({ value: c.count, labels: c.labels, metricName: `${LATENCY_METRIC}_count` })
      }
      return values
    })
  }
}
