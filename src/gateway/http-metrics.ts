/**
 * Request counts and latencies by route, method and status, on the node's registry (so
 * `/v1/metrics` shows them next to the node's and libp2p's). Label values are bounded: routes are
 * the fixed names below, unknown methods count as `OTHER`.
 */
import { Counter, Histogram, type Registry } from 'prom-client'

export type RouteName = 'data' | 'keys' | 'health' | 'status' | 'topology' | 'metrics' | 'preflight' | 'not_found'

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'])
/** Seconds; spans a cached GET (sub-ms) to a PUT waiting out the write timeout (5 s default). */
const LATENCY_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

interface Child {
  inc(): void
}
interface HistChild {
  observe(v: number): void
}

export class HttpMetrics {
  private readonly requests: Counter<'route' | 'method' | 'status'>
  private readonly latency: Histogram<'route' | 'method' | 'status'>
  /** Children per label combination, so the hot path skips prom-client's label hashing lookups. */
  private readonly children = new Map<string, { count: Child; time: HistChild }>()

  constructor(components: { registry: Registry }) {
    const existing = components.registry.getSingleMetric('repram_http_requests_total')
    if (existing) components.registry.removeSingleMetric('repram_http_requests_total')
    if (components.registry.getSingleMetric('repram_http_request_duration_seconds'))
      components.registry.removeSingleMetric('repram_http_request_duration_seconds')
    this.requests = new Counter({
      name: 'repram_http_requests_total',
      help: 'HTTP requests answered by the gateway, by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers: [components.registry],
    })
    this.latency = new Histogram({
      name: 'repram_http_request_duration_seconds',
      help: 'Time from request to response written, by route, method and status',
      labelNames: ['route', 'method', 'status'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [components.registry],
    })
  }

  observe(route: RouteName, method: string | undefined, status: number, seconds: number): void {
    const m = method !== undefined && KNOWN_METHODS.has(method) ? method : 'OTHER'
    const id = `${route} ${m} ${status}`
    let c = this.children.get(id)
    if (c === undefined) {
      const s = String(status)
      c = { count: this.requests.labels(route, m, s), time: this.latency.labels(route, m, s) }
      this.children.set(id, c)
    }
    c.count.inc()
    c.time.observe(seconds)
  }
}
