/**
 * The run's report as one JSON-able object, built from the raw results by a pure function (so it can
 * be tested on synthetic data): options, throughput and latency per operation, invariant counts with
 * evidence, churn events with re-replication times, wire cost per write, placement against the ideal
 * share, memory, and the per-second time series all of these come from.
 */
import type { ChurnRecord } from './churn.js'
import type { SimOptions } from './options.js'
import type { Tracked } from './replication-tracker.js'
import type { Sample } from './sampler.js'
import type { BucketSummary, SeriesSummary } from './stats.js'
import type { Violation, ViolationKind } from './violations.js'
import { BYTES_LABEL_TOTAL, BYTES_METRIC, MESSAGES_METRIC, type WireCounters } from './wire.js'

export const REPORT_VERSION = 1
/** Writes an interval needs before its wire cost per write is plotted. */
export const MIN_WRITES_PER_WIRE_POINT = 10

export interface ReportInputs {
  options: SimOptions
  runId: string
  mode: string
  startedAt: number
  workloadStartedAt: number
  workloadEndedAt: number
  finishedAt: number
  setup: { startupMs: number; meshMs: number; meshError?: string }
  ops: Record<string, SeriesSummary>
  buckets: BucketSummary[]
  driver: { issued: number; skipped: number; crashed: number; lastCrash?: string }
  violationCounts: Record<ViolationKind, number>
  violations: Violation[]
  reads: Record<string, number>
  /** Writes by HTTP status (201, 202, errors). */
  writes?: Record<string, number>
  churn: ChurnRecord[]
  tracked: Tracked[]
  samples: Sample[]
  /** Sample taken the moment the workload stopped. */
  finalSample?: Sample
  wire: WireCounters
  heartbeat: { workers: number; stopped: number; absenceChecks: number; confirmedGone: number }
  patterns: Record<string, Record<string, number>>
  exitCode: number
}

export interface TimePoint {
  t: number
  ops: number
  errors: number
  p50Ms?: number
  p99Ms?: number
  putP99Ms?: number
  getP99Ms?: number
  live?: number
  heldReplicas?: number
  owedReplicas?: number
  idealPerNode?: number
  minKeys?: number
  maxKeys?: number
  rssTotalBytes?: number
  bytesPerWrite?: number
  messagesPerWrite?: number
}

function round(v: number | undefined, digits = 2): number | undefined {
  return v === undefined || !Number.isFinite(v) ? undefined : Number(v.toFixed(digits))
}

function stddev(values: number[]): number {
  if (values.length === 0) return 0
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length)
}

export function wireSummary(samples: readonly Sample[], wire: WireCounters) {
  const withWire = samples.filter((s) => s.wireBytes !== undefined || s.wireMessages !== undefined)
  const first = withWire[0]
  const last = withWire[withWire.length - 1]
  const writes = first && last ? last.writes - first.writes : 0
  const bytes = first && last && first.wireBytes !== undefined && last.wireBytes !== undefined ? last.wireBytes - first.wireBytes : undefined
  const messages = first && last && first.wireMessages !== undefined && last.wireMessages !== undefined ? last.wireMessages - first.wireMessages : undefined
  return {
    bytesMetric: `${BYTES_METRIC}{protocol="${BYTES_LABEL_TOTAL}"}`,
    messagesMetric: MESSAGES_METRIC,
    note: "Sums over nodes of each node's own counters, from the scrape at the workload start to the last one; all traffic a write causes and everything else meanwhile (reads, DHT, gossip, pings). In process mode a node that left counts up to its last scrape. A figure is given only when every node exported it.",
    available: bytes !== undefined || messages !== undefined,
    writes,
    bytesSent: bytes,
    messagesSent: messages,
    bytesPerWrite: bytes !== undefined && writes > 0 ? round(bytes / writes, 1) : undefined,
    messagesPerWrite: messages !== undefined && writes > 0 ? round(messages / writes, 2) : undefined,
    bytesByProtocolTotal: wire.byProtocol,
    nodesExporting: { nodes: wire.nodes, bytes: wire.nodesWithBytes, messages: wire.nodesWithMessages },
    replicationCounters: wire.replication,
  }
}

export function placementSummary(s: Sample | undefined) {
  if (!s || s.perNode.length === 0) return undefined
  const keys = s.perNode.map((n) => n.keys)
  const ideal = s.idealPerNode
  return {
    atS: round(s.t, 1),
    live: s.live,
    rPrime: s.rPrime,
    owedKeys: s.owedKeys,
    possibleKeys: s.possibleKeys,
    heldReplicas: s.sumKeys,
    owedReplicas: s.owedReplicas,
    idealPerNode: round(ideal, 1),
    minKeys: Math.min(...keys),
    maxKeys: Math.max(...keys),
    maxOverIdeal: ideal > 0 ? round(Math.max(...keys) / ideal) : undefined,
    minOverIdeal: ideal > 0 ? round(Math.min(...keys) / ideal) : undefined,
    coefficientOfVariation: round(stddev(keys) / Math.max(1e-9, keys.reduce((a, b) => a + b, 0) / keys.length), 3),
    perNode: s.perNode.map((n) => ({ name: n.name, keys: n.keys, bytes: n.bytes, rss: n.rss })),
  }
}

export function timeSeries(buckets: readonly BucketSummary[], samples: readonly Sample[]): TimePoint[] {
  const bySecond = new Map<number, Sample>()
  for (const s of samples) bySecond.set(Math.floor(s.t), s)
  const n = Math.max(buckets.length, ...samples.map((s) => Math.floor(s.t) + 1), 0)
  const points: TimePoint[] = []
  let prevWire: Sample | undefined
  for (let t = 0; t < n; t++) {
    const b = buckets[t]
    const s = bySecond.get(t)
    const p: TimePoint = { t, ops: b?.ops ?? 0, errors: b?.errors ?? 0 }
    if (b) {
      const all = Object.values(b.byOp)
      const merged = all.length > 0 ? all.reduce((a, x) => (x.count > a.count ? x : a)) : undefined
      p.p50Ms = round(b.byOp.get?.p50Ms ?? merged?.p50Ms)
      p.p99Ms = round(Math.max(...all.map((x) => x.p99Ms ?? 0)))
      p.putP99Ms = round(b.byOp.put?.p99Ms)
      p.getP99Ms = round(b.byOp.get?.p99Ms)
    }
    if (s) {
      p.live = s.live
      p.heldReplicas = s.sumKeys
      p.owedReplicas = s.owedReplicas
      p.idealPerNode = round(s.idealPerNode, 1)
      p.minKeys = s.minKeys
      p.maxKeys = s.maxKeys
      p.rssTotalBytes = s.rssTotal
      if (s.wireBytes !== undefined || s.wireMessages !== undefined) {
        // A ratio over a handful of writes (the drain after the workload) says nothing: skip it.
        if (prevWire && s.writes - prevWire.writes >= MIN_WRITES_PER_WIRE_POINT) {
          const dw = s.writes - prevWire.writes
          if (s.wireBytes !== undefined && prevWire.wireBytes !== undefined) p.bytesPerWrite = round((s.wireBytes - prevWire.wireBytes) / dw, 1)
          if (s.wireMessages !== undefined && prevWire.wireMessages !== undefined) p.messagesPerWrite = round((s.wireMessages - prevWire.wireMessages) / dw, 2)
        }
        prevWire = s
      }
    }
    points.push(p)
  }
  return points
}

export function buildReport(r: ReportInputs) {
  const workloadS = Math.max(0.001, (r.workloadEndedAt - r.workloadStartedAt) / 1000)
  const ops: Record<string, SeriesSummary & { perS: number }> = {}
  for (const [k, v] of Object.entries(r.ops))
    ops[k] = { ...v, p50Ms: round(v.p50Ms), p99Ms: round(v.p99Ms), maxMs: round(v.maxMs), perS: round(v.count / workloadS) ?? 0 }
  const totalOps = ['put', 'get', 'list'].reduce((a, k) => a + (r.ops[k]?.count ?? 0), 0)
  const totalErrors = ['put', 'get', 'list'].reduce((a, k) => a + (r.ops[k]?.errors ?? 0), 0)
  const restored = r.tracked.filter((t) => t.restoredAfterMs !== undefined).map((t) => t.restoredAfterMs as number)
  const rss = r.samples.map((s) => s.rssTotal)
  const violationsTotal = Object.values(r.violationCounts).reduce((a, b) => a + b, 0)
  return {
    version: REPORT_VERSION,
    runId: r.runId,
    startedAt: new Date(r.startedAt).toISOString(),
    finishedAt: new Date(r.finishedAt).toISOString(),
    host: { node: process.version, platform: process.platform },
    mode: r.mode,
    options: {
      nodes: r.options.nodes,
      replication: r.options.replication,
      durationS: r.options.durationS,
      processes: r.options.processes,
      http: r.options.http,
      churn: r.options.churn,
      churnIntervalS: r.options.churn ? r.options.churnIntervalS : undefined,
      scenario: r.options.scenarioFile,
      seed: r.options.seed,
      ratePerS: r.options.ratePerS,
      concurrency: r.options.concurrency,
      weights: r.options.weights,
      expiryToleranceMs: r.options.expiryToleranceMs,
    },
    setup: r.setup,
    workload: {
      seconds: round(workloadS, 1),
      stepsIssued: r.driver.issued,
      stepsSkippedAtConcurrencyCap: r.driver.skipped,
      stepsCrashed: r.driver.crashed,
      lastCrash: r.driver.lastCrash,
      ops: totalOps,
      opsPerS: round(totalOps / workloadS),
      errors: totalErrors,
      writesByStatus: r.writes ?? {},
      byOp: ops,
      patterns: r.patterns,
    },
    invariants: {
      passed: violationsTotal === 0,
      violations: violationsTotal,
      counts: r.violationCounts,
      readsJudged: r.reads,
      expiryToleranceMs: r.options.expiryToleranceMs,
      heartbeat: r.heartbeat,
      evidence: r.violations,
    },
    churn: r.churn.map((c) => {
      const t = r.tracked.find((x) => x.event === c.index)
      return {
        ...c,
        atS: round(c.atMs / 1000, 2),
        replication: t ? { state: t.state, restoredAfterMs: t.restoredAfterMs, deficitAfterEvent: t.deficitAfterEvent } : undefined,
      }
    }),
    replication: {
      method: "Σ keys over live nodes (status) ≥ R' × keys acknowledged ≥ 2 s ago and unexpired for ≥ 1 s more (ledger), on 2 consecutive 1 s samples",
      events: r.tracked.length,
      restored: restored.length,
      meanRestoreMs: restored.length > 0 ? Math.round(restored.reduce((a, b) => a + b, 0) / restored.length) : undefined,
      maxRestoreMs: restored.length > 0 ? Math.max(...restored) : undefined,
    },
    wire: wireSummary(r.samples, r.wire),
    placement: placementSummary(r.finalSample),
    memory: {
      method: r.options.processes
        ? 'sum of each node process RSS (status.memory.rss)'
        : 'this one process RSS (all nodes + the workload); per node = total / live nodes',
      peakTotalBytes: rss.length > 0 ? Math.max(...rss) : undefined,
      finalTotalBytes: r.finalSample?.rssTotal,
      finalPerNodeBytes: r.finalSample ? Math.round(r.finalSample.rssPerNode) : undefined,
    },
    timeSeries: timeSeries(r.buckets, r.samples),
    exitCode: r.exitCode,
  }
}

export type SimReport = ReturnType<typeof buildReport>
