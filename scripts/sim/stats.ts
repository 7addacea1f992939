/**
 * Operation statistics: counts, errors and latency percentiles per operation type (put/get/list) and
 * per pattern, overall and per time bucket (the time series). Latencies are kept as samples; beyond
 * MAX_SAMPLES per series a reservoir keeps a uniform subset, so a long soak stays bounded.
 */

/** One bucket of the time series. */
export const BUCKET_MS = 1_000
/** Samples kept per latency series: exact percentiles for a 60 s run, bounded for a long one. */
export const MAX_SAMPLES = 200_000

export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]
}

class Reservoir {
  readonly values: number[] = []
  private seen = 0
  add(v: number, rand: () => number): void {
    this.seen++
    if (this.values.length < MAX_SAMPLES) this.values.push(v)
    else {
      const j = Math.floor(rand() * this.seen)
      if (j < MAX_SAMPLES) this.values[j] = v
    }
  }
}

export interface SeriesSummary {
  count: number
  errors: number
  p50Ms?: number
  p99Ms?: number
  maxMs?: number
}

interface Series {
  count: number
  errors: number
  lat: Reservoir
}

export interface BucketSummary {
  /** Bucket start, seconds since the workload began. */
  t: number
  ops: number
  errors: number
  byOp: Record<string, SeriesSummary>
}

function summarize(s: Series): SeriesSummary {
  const sorted = [...s.lat.values].sort((a, b) => a - b)
  return { count: s.count, errors: s.errors, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1] }
}

export class OpStats {
  private readonly total = new Map<string, Series>()
  private readonly buckets: Map<string, Series>[] = []
  private readonly rand: () => number
  ops = 0
  errors = 0

  constructor(init: { rand?: () => number } = {}) {
    this.rand = init.rand ?? Math.random
  }

  private series(map: Map<string, Series>, name: string): Series {
    let s = map.get(name)
    if (!s) {
      s = { count: 0, errors: 0, lat: new Reservoir() }
      map.set(name, s)
    }
    return s
  }

  /** One finished operation: `op` is put/get/list, `pattern` the workload pattern; `atMs` since start. */
  record(op: string, pattern: string, latencyMs: number, ok: boolean, atMs: number): void {
    this.ops++
    if (!ok) this.errors++
    const b = Math.max(0, Math.floor(atMs / BUCKET_MS))
    while (this.buckets.length <= b) this.buckets.push(new Map())
    for (const [map, name] of [
      [this.total, op],
      [this.total, `${pattern}.${op}`],
      [this.buckets[b], op],
      [this.buckets[b], '*'],
    ] as const) {
      const s = this.series(map, name)
      s.count++
      if (!ok) s.errors++
      s.lat.add(latencyMs, this.rand)
    }
  }

  /** Operations of one type (or pattern.op) so far, without computing percentiles. */
  count(name: string): number {
    return this.total.get(name)?.count ?? 0
  }

  /** Overall per operation type and per pattern.op, sorted by name. */
  summary(): Record<string, SeriesSummary> {
    const out: Record<string, SeriesSummary> = {}
    for (const name of [...this.total.keys()].sort()) out[name] = summarize(this.total.get(name)!)
    return out
  }

  timeSeries(): BucketSummary[] {
    return this.buckets.map((m, i) => {
      const all = m.get('*')
      const byOp: Record<string, SeriesSummary> = {}
      for (const [name, s] of m) if (name !== '*') byOp[name] = summarize(s)
      return { t: (i * BUCKET_MS) / 1000, ops: all?.count ?? 0, errors: all?.errors ?? 0, byOp }
    })
  }
}
