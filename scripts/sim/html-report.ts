/**
 * The self-contained HTML report: the summary as text plus inline SVG charts — throughput and
 * latency over time with churn events marked, replicas held against owed, keys per node against the
 * ideal R'/N share, memory and wire cost per write over time. No scripts, no external assets.
 */
import type { SimReport } from './report.js'
import { formatSummary } from './summary.js'
import { barChart, escapeXml, lineChart, type Marker } from './svg.js'

function pts(r: SimReport, f: (p: SimReport['timeSeries'][number]) => number | undefined): [number, number][] {
  const out: [number, number][] = []
  for (const p of r.timeSeries) {
    const v = f(p)
    if (v !== undefined && Number.isFinite(v)) out.push([p.t, v])
  }
  return out
}

export function renderHtml(r: SimReport): string {
  const markers: Marker[] = r.churn.filter((c) => !c.skipped).map((c) => ({ x: c.atMs / 1000, label: `${c.action} ${c.node ?? ''}`.trim() }))
  const charts = [
    lineChart({
      title: 'Throughput',
      xLabel: 'seconds',
      yLabel: 'operations / s',
      markers,
      series: [
        { name: 'ops/s', color: '#1f77b4', points: pts(r, (p) => p.ops) },
        { name: 'errors/s', color: '#d62728', points: pts(r, (p) => p.errors) },
      ],
    }),
    lineChart({
      title: 'Latency',
      xLabel: 'seconds',
      yLabel: 'ms',
      markers,
      series: [
        { name: 'get p50', color: '#2ca02c', points: pts(r, (p) => p.p50Ms) },
        { name: 'put p99', color: '#ff7f0e', points: pts(r, (p) => p.putP99Ms) },
        { name: 'get p99', color: '#9467bd', points: pts(r, (p) => p.getP99Ms) },
      ],
    }),
    lineChart({
      title: "Replicas held vs owed (R' × live settled keys)",
      xLabel: 'seconds',
      yLabel: 'replicas',
      markers,
      series: [
        { name: 'held (Σ keys)', color: '#1f77b4', points: pts(r, (p) => p.heldReplicas) },
        { name: 'owed', color: '#ff7f0e', dashed: true, points: pts(r, (p) => p.owedReplicas) },
      ],
    }),
    lineChart({
      title: 'Keys per node over time',
      xLabel: 'seconds',
      yLabel: 'keys',
      markers,
      series: [
        { name: 'min', color: '#2ca02c', points: pts(r, (p) => p.minKeys) },
        { name: 'max', color: '#d62728', points: pts(r, (p) => p.maxKeys) },
        { name: "ideal R'/N", color: '#ff7f0e', dashed: true, points: pts(r, (p) => p.idealPerNode) },
      ],
    }),
  ]
  if (r.placement) {
    charts.push(
      barChart({
        title: `Keys per node at ${r.placement.atS} s vs the ideal R'/N share`,
        yLabel: 'keys',
        bars: r.placement.perNode.map((n) => ({ label: n.name, value: n.keys })),
        ideal: r.placement.idealPerNode,
        idealLabel: `ideal ${r.placement.idealPerNode}`,
      }),
    )
  }
  charts.push(
    lineChart({
      title: 'Memory (RSS)',
      xLabel: 'seconds',
      yLabel: 'MiB',
      markers,
      series: [{ name: 'RSS total', color: '#8c564b', points: pts(r, (p) => (p.rssTotalBytes === undefined ? undefined : p.rssTotalBytes / 1048576)) }],
    }),
  )
  if (r.wire.available) {
    charts.push(
      lineChart({
        title: 'Wire cost per write (all traffic / writes, per 5 s)',
        xLabel: 'seconds',
        yLabel: 'bytes / write',
        markers,
        series: [{ name: 'bytes/write', color: '#17becf', points: pts(r, (p) => p.bytesPerWrite) }],
      }),
    )
  }
  const evidence = r.invariants.evidence
    .slice(0, 100)
    .map(
      (v) =>
        `<tr><td>${escapeXml(v.kind)}</td><td>${(v.atMs / 1000).toFixed(2)}</td><td>${escapeXml(v.key ?? '')}</td><td>${escapeXml(v.node ?? '')}</td><td><code>${escapeXml(JSON.stringify(v.detail))}</code></td></tr>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>REPRAM simulation ${escapeXml(r.runId)}</title>
<style>body{font-family:sans-serif;margin:24px;max-width:1000px}pre{background:#f6f6f6;padding:12px;overflow-x:auto;font-size:12px}
.verdict{font-size:20px;font-weight:bold}.pass{color:#2a7d2a}.fail{color:#c62828}svg{display:block;margin:16px 0}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;padding:4px;vertical-align:top}</style></head>
<body>
<h1>REPRAM simulation</h1>
<p class="verdict ${r.invariants.passed ? 'pass' : 'fail'}">${r.invariants.passed ? 'PASS: no invariant violated' : `FAIL: ${r.invariants.violations} invariant violations`}</p>
<p>${escapeXml(`${r.options.nodes} nodes, ${r.mode}, R=${r.options.replication}, seed ${r.options.seed}, started ${r.startedAt}`)}</p>
<pre>${escapeXml(formatSummary(r))}</pre>
${charts.join('\n')}
${evidence ? `<h2>Violations (first 100)</h2><table><tr><th>kind</th><th>s</th><th>key</th><th>node</th><th>evidence</th></tr>${evidence}</table>` : ''}
</body></html>
`
}
