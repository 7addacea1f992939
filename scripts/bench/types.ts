/** The figures the bench produces, as printed and as written by --json. */

export interface LoadFigure {
  scenario: string
  group: 'ceiling' | 'gateway' | 'mesh'
  /** Counted responses per second over the measured run (2xx, or only the status given, e.g. 201). */
  reqPerSec: number
  /** Latency of 2xx responses (autocannon records only those), ms. */
  p50Ms: number
  p99Ms: number
  requests: number
  counted: number
  non2xx: number
  errors: number
  timeouts: number
  statusCounts: Record<string, number>
  durationS: number
  connections: number
  /** CPU the load generator used, % of one core. */
  generatorCpuPct: number
  /** CPU the server process(es) used, % of one core. */
  serverCpuPct?: number
  /** Server CPU per counted request, µs: robust where req/s is not (a shared machine lends cores unevenly). */
  serverCpuUsPerReq?: number
  /** The paired ceiling's serverCpuUsPerReq ÷ this one's: the ratio to expect with a core each, undisturbed. */
  cpuCostRatio?: number
  /** Scenario whose req/s is the denominator of `ratio`. */
  ceiling?: string
  /** That ceiling's req/s, measured right before this scenario. */
  ceilingReqPerSec?: number
  ratio?: number
  /** The ratio to reach. */
  target?: number
  /** False when any request failed, timed out, or answered other than counted. */
  valid: boolean
  note?: string
}

export interface MemoryFigure {
  scenario: string
  entries: number
  keyBytes: number
  valueBytes: number
  rssDeltaBytes: number
  heapDeltaBytes: number
  externalDeltaBytes: number
  /** RSS delta / entries. */
  bytesPerEntry: number
  /** bytesPerEntry − key bytes − value bytes. */
  overheadPerEntry: number
  targetOverhead: number
  insertSeconds: number
}

export interface LatencyFigure {
  scenario: string
  samples: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  failures: number
  targetP99Ms?: number
  note?: string
}

export interface Skipped {
  section: string
  reason: string
}

export interface BenchReport {
  date: string
  machine: { cpus: number; model: string; node: string; totalMemMiB: number; loadavgAtStart: number[] }
  options: Record<string, unknown>
  load: LoadFigure[]
  memory: MemoryFigure[]
  latency: LatencyFigure[]
  skipped: Skipped[]
}
