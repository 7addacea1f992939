import { describe, expect, it } from 'vitest'
import { renderHtml } from '../../scripts/sim/html-report.js'
import { parseOptions } from '../../scripts/sim/options.js'
import { buildReport, type ReportInputs } from '../../scripts/sim/report.js'
import type { Sample } from '../../scripts/sim/sampler.js'
import { formatSummary } from '../../scripts/sim/summary.js'
import { barChart, lineChart, niceTicks } from '../../scripts/sim/svg.js'
import { VIOLATION_KINDS } from '../../scripts/sim/violations.js'
import { readWireCounters, WireMeter } from '../../scripts/sim/wire.js'

function sample(t: number, over: Partial<Sample> = {}): Sample {
  const perNode = [
    { name: 'node-0', keys: 30, bytes: 3000 },
    { name: 'node-1', keys: 20, bytes: 2000 },
    { name: 'node-2', keys: 25, bytes: 2500 },
  ]
  return {
    t,
    live: 3,
    rPrime: 3,
    sumKeys: 75,
    sumBytes: 7500,
    owedKeys: 25,
    possibleKeys: 27,
    owedReplicas: 75,
    idealPerNode: 25,
    minKeys: 20,
    maxKeys: 30,
    rssTotal: 300 * 1048576,
    rssPerNode: 100 * 1048576,
    writes: t * 10,
    perNode,
    ...over,
  }
}

function inputs(over: Partial<ReportInputs> = {}): ReportInputs {
  const counts = Object.fromEntries(VIOLATION_KINDS.map((k) => [k, 0])) as ReportInputs['violationCounts']
  return {
    options: parseOptions(['--nodes', '3', '--duration', '10', '--seed', 's1', '--churn', '--churn-interval', '5', '--processes']),
    runId: 'sim-abcd',
    mode: 'processes, HTTP gateways',
    startedAt: 1_800_000_000_000,
    workloadStartedAt: 1_800_000_001_000,
    workloadEndedAt: 1_800_000_011_000,
    finishedAt: 1_800_000_015_000,
    setup: { startupMs: 800, meshMs: 200 },
    ops: {
      put: { count: 400, errors: 2, p50Ms: 3.2, p99Ms: 20.5, maxMs: 40 },
      get: { count: 600, errors: 0, p50Ms: 1.1, p99Ms: 9.9, maxMs: 12 },
      'handoff.put': { count: 100, errors: 0, p50Ms: 3, p99Ms: 19, maxMs: 30 },
    },
    buckets: Array.from({ length: 10 }, (_, t) => ({
      t,
      ops: 100,
      errors: t === 5 ? 2 : 0,
      byOp: { put: { count: 40, errors: 0, p50Ms: 3, p99Ms: 20 }, get: { count: 60, errors: 0, p50Ms: 1, p99Ms: 9 } },
    })),
    driver: { issued: 900, skipped: 0, crashed: 0 },
    violationCounts: counts,
    violations: [],
    reads: { ok: 590, violation: 0, error: 0, unjudged: 10 },
    churn: [
      { index: 0, plannedMs: 5000, atMs: 5003, action: 'kill', node: 'node-1', tookMs: 12 },
      { index: 1, plannedMs: 5000, atMs: 5015, action: 'start', node: 'node-3', tookMs: 300 },
    ],
    tracked: [
      { event: 0, atMs: 5003, state: 'restored', restoredAfterMs: 1997, deficitAfterEvent: 20, streak: 2 },
      { event: 1, atMs: 5015, state: 'restored', restoredAfterMs: 985, deficitAfterEvent: 0, streak: 2 },
    ],
    samples: Array.from({ length: 11 }, (_, t) => sample(t, t % 5 === 0 ? { wireBytes: t * 10_000, wireMessages: t * 50 } : {})),
    finalSample: sample(10),
    wire: { bytesSent: 100_000, messagesSent: 500, byProtocol: { '/repram/store/1.0.0': 60_000 }, replication: {} },
    heartbeat: { workers: 4, stopped: 1, absenceChecks: 1, confirmedGone: 1 },
    patterns: { lock: { taken: 3, busy: 7 } },
    exitCode: 0,
    ...over,
  }
}

describe('report', () => {
  it('derives throughput, wire cost per write, placement and re-replication from the raw results', () => {
    const r = buildReport(inputs())
    expect(r.workload.opsPerS).toBe(100)
    expect(r.workload.byOp.put.perS).toBe(40)
    expect(r.wire).toMatchObject({ available: true, writes: 100, bytesSent: 100_000, bytesPerWrite: 1000, messagesPerWrite: 5 })
    expect(r.placement).toMatchObject({ idealPerNode: 25, minKeys: 20, maxKeys: 30, maxOverIdeal: 1.2, minOverIdeal: 0.8, heldReplicas: 75, owedReplicas: 75 })
    expect(r.replication).toMatchObject({ events: 2, restored: 2, meanRestoreMs: 1491, maxRestoreMs: 1997 })
    expect(r.churn[0]).toMatchObject({ atS: 5, replication: { state: 'restored', restoredAfterMs: 1997 } })
    expect(r.invariants.passed).toBe(true)
    expect(r.timeSeries).toHaveLength(11)
    expect(r.timeSeries[5]).toMatchObject({ t: 5, ops: 100, errors: 2, bytesPerWrite: 1000, messagesPerWrite: 5, heldReplicas: 75 })
    expect(JSON.parse(JSON.stringify(r)).version).toBe(1)
  })

  it('gives no mesh figure that only some nodes exported', () => {
    const samples = inputs().samples.map((x) => ({ ...x, wireBytes: undefined }))
    const r = buildReport(inputs({ samples }))
    expect(r.wire).toMatchObject({ available: true, messagesPerWrite: 5 })
    expect(r.wire.bytesPerWrite).toBeUndefined()
    expect(formatSummary(r)).toContain('bytes not measured')
    const meter = new WireMeter()
    meter.update('node-1', 'libp2p_data_transfer_bytes_total{protocol="global sent"} 10\nlibp2p_noise_encrypted_packets_total 2')
    meter.update('node-2', 'libp2p_noise_encrypted_packets_total 3')
    expect(meter.complete()).toEqual({ bytesSent: undefined, messagesSent: 5 })
  })

  it('summarises as a table and says FAIL with evidence when an invariant broke', () => {
    const counts = Object.fromEntries(VIOLATION_KINDS.map((k) => [k, 0])) as ReportInputs['violationCounts']
    counts.missing = 1
    const r = buildReport(
      inputs({
        violationCounts: counts,
        violations: [{ kind: 'missing', atMs: 4200, key: 'handoff:ab', node: 'node-2', detail: { required: { writeId: 7 } } }],
        exitCode: 1,
      }),
    )
    const text = formatSummary(r)
    expect(text).toMatch(/^put\s+400\s+40\s+2\s+3\.2\s+20\.5/m)
    expect(text).toContain('invariants: FAIL, 1 violations')
    expect(text).toContain('! missing at 4.20 s key=handoff:ab node=node-2')
    expect(text).toContain('#0    5.0 s kill  node-1    took    12 ms; replicas restored after 1997 ms (deficit 20)')
    expect(text).toContain('replicas restored after 1997 ms')
    expect(text).toContain('wire per write, all traffic over 100 writes: 5 messages (libp2p_noise_encrypted_packets_total); 1000 bytes')
  })

  it('renders a self-contained HTML page with inline SVG charts and churn markers', () => {
    const html = renderHtml(buildReport(inputs()))
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).not.toMatch(/<script|src="http|href="http/)
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(6)
    expect(html).toContain('Keys per node at 10 s vs the ideal R&#39;/N share')
    expect(html).toContain('<title>kill node-1</title>')
    expect(html).toContain('PASS: no invariant violated')
  })
})

describe('svg and metrics helpers', () => {
  it('picks round axis ticks covering the maximum', () => {
    expect(niceTicks(97)).toEqual([0, 20, 40, 60, 80, 100])
    expect(niceTicks(0)).toEqual([0])
  })

  it('escapes text and draws one path per series and one bar per node', () => {
    const svg = lineChart({
      title: 'a<b',
      xLabel: 'x',
      yLabel: 'y',
      series: [
        {
          name: 's',
          color: 'red',
          points: [
            [0, 1],
            [1, 2],
          ],
        },
      ],
      markers: [{ x: 1, label: 'kill' }],
    })
    expect(svg).toContain('a&lt;b')
    expect((svg.match(/<path /g) ?? []).length).toBe(1)
    const bars = barChart({
      title: 't',
      yLabel: 'k',
      bars: [
        { label: 'node-0', value: 3 },
        { label: 'node-1', value: 5 },
      ],
      ideal: 4,
    })
    expect((bars.match(/<rect /g) ?? []).length).toBe(2)
  })

  it('reads libp2p transfer and Noise counters from Prometheus text', () => {
    const text = [
      '# HELP libp2p_data_transfer_bytes_total x',
      'libp2p_data_transfer_bytes_total{protocol="global sent"} 1200',
      'libp2p_data_transfer_bytes_total{protocol="global received"} 1100',
      'libp2p_data_transfer_bytes_total{protocol="/repram/store/1.0.0 sent"} 700',
      'libp2p_noise_encrypted_packets_total 12',
      'repram_replication_pushes_total{outcome="ok"} 3',
      'repram_replication_pushes_total{outcome="failed"} 1',
    ].join('\n')
    expect(readWireCounters(text)).toEqual({
      bytesSent: 1200,
      messagesSent: 12,
      byProtocol: { '/repram/store/1.0.0': 700 },
      replication: { repram_replication_pushes_total: 4 },
    })
    expect(readWireCounters('repram_keys 3').bytesSent).toBeUndefined()
  })
})
