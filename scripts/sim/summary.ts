/**
 * The summary table printed on stdout at the end of a run, from the report: one row per operation
 * type and per pattern.operation, then invariants, churn and re-replication, wire cost, placement
 * against the ideal share, and memory.
 */
import type { SimReport } from './report.js'

const MIB = 1024 * 1024

function cell(v: number | string | undefined, width: number, digits = 1): string {
  const s = v === undefined ? '—' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : v
  return s.padStart(width)
}

function mib(bytes: number | undefined): string {
  return bytes === undefined ? '—' : `${(bytes / MIB).toFixed(0)} MiB`
}

export function formatSummary(r: SimReport): string {
  const o = r.options
  const lines: string[] = []
  const churnText = r.churn.length > 0 ? `${r.churn.length} churn events` : 'no churn'
  lines.push(
    `REPRAM simulation: ${o.nodes} nodes (${r.mode}), R=${o.replication}, ${r.workload.seconds} s workload, target ${o.ratePerS} ops/s, seed ${o.seed}, ${churnText}`,
  )
  lines.push(
    `mesh ready in ${(r.setup.startupMs / 1000).toFixed(1)} s (nodes started) + ${(r.setup.meshMs / 1000).toFixed(1)} s (waitForMesh)${r.setup.meshError ? ` — ${r.setup.meshError}` : ''}`,
  )
  lines.push('')
  lines.push(
    `${'operation'.padEnd(18)}${'count'.padStart(8)}${'ops/s'.padStart(9)}${'errors'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}`,
  )
  lines.push('-'.repeat(70))
  const names = Object.keys(r.workload.byOp)
  const order = [...names.filter((n) => !n.includes('.')), ...names.filter((n) => n.includes('.'))]
  for (const name of order) {
    const s = r.workload.byOp[name]
    lines.push(`${name.padEnd(18)}${cell(s.count, 8)}${cell(s.perS, 9)}${cell(s.errors, 8)}${cell(s.p50Ms, 9)}${cell(s.p99Ms, 9)}${cell(s.maxMs, 9)}`)
  }
  lines.push('-'.repeat(70))
  lines.push(`${'all'.padEnd(18)}${cell(r.workload.ops, 8)}${cell(r.workload.opsPerS, 9)}${cell(r.workload.errors, 8)}`)
  const ws = Object.entries(r.workload.writesByStatus)
  if (ws.length > 0) lines.push(`  writes by answer: ${ws.map(([k, v]) => `${k}: ${v}`).join(', ')} (201 = W replicas confirmed, 202 = still replicating)`)
  if (r.workload.stepsSkippedAtConcurrencyCap > 0)
    lines.push(`  ${r.workload.stepsSkippedAtConcurrencyCap} steps skipped at the concurrency cap (${o.concurrency})`)
  if (r.workload.stepsCrashed > 0) lines.push(`  ${r.workload.stepsCrashed} steps crashed: ${r.workload.lastCrash?.split('\n')[0]}`)
  lines.push('')
  const inv = r.invariants
  const counts = Object.entries(inv.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
  lines.push(`invariants: ${inv.passed ? 'PASS' : 'FAIL'}, ${inv.violations} violations (${counts})`)
  const reads = Object.entries(inv.readsJudged)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
  lines.push(`  reads judged: ${reads}; expiry tolerance ${inv.expiryToleranceMs} ms`)
  lines.push(
    `  heartbeats: ${inv.heartbeat.workers} workers, ${inv.heartbeat.stopped} stopped on purpose, ${inv.heartbeat.confirmedGone}/${inv.heartbeat.absenceChecks} confirmed gone after TTL`,
  )
  for (const v of inv.evidence.slice(0, 5))
    lines.push(`  ! ${v.kind} at ${(v.atMs / 1000).toFixed(2)} s key=${v.key ?? '—'} node=${v.node ?? '—'} ${JSON.stringify(v.detail)}`)
  if (inv.evidence.length > 5) lines.push(`  … ${inv.violations - 5} more in the JSON report`)
  lines.push('')
  if (r.churn.length > 0) {
    lines.push(
      `churn (re-replication: ${r.replication.restored}/${r.replication.events} restored, mean ${cell(r.replication.meanRestoreMs, 0)} ms, max ${cell(r.replication.maxRestoreMs, 0)} ms):`,
    )
    for (const c of r.churn) {
      const rep = c.replication
      const repText = !rep
        ? ''
        : rep.state === 'restored'
          ? `replicas restored after ${rep.restoredAfterMs} ms (deficit ${rep.deficitAfterEvent})`
          : `replicas ${rep.state} (deficit ${rep.deficitAfterEvent})`
      const extra = [c.skipped ? `skipped: ${c.skipped}` : '', c.error ? `error: ${c.error}` : '', repText].filter((x) => x !== '').join('; ')
      lines.push(
        `  #${c.index} ${((c.atS ?? 0).toFixed(1)).padStart(6)} s ${c.action.padEnd(5)} ${(c.node ?? '—').padEnd(9)} took ${String(c.tookMs).padStart(5)} ms; ${extra}`,
      )
    }
    lines.push('')
  }
  const w = r.wire
  if (!w.available) lines.push('wire: not measured (the nodes expose no libp2p metrics)')
  else {
    const bytes =
      w.bytesPerWrite === undefined ? 'bytes not measured (not every node exports libp2p transfer counters)' : `${w.bytesPerWrite} bytes (${w.bytesMetric})`
    const msgs = w.messagesPerWrite === undefined ? 'messages not measured' : `${w.messagesPerWrite} messages (${w.messagesMetric})`
    lines.push(`wire per write, all traffic over ${w.writes} writes: ${msgs}; ${bytes}`)
  }
  const p = r.placement
  if (p) {
    lines.push(
      `placement at ${p.atS} s: ${p.heldReplicas} replicas held / ${p.owedReplicas} owed (R'=${p.rPrime} × ${p.owedKeys} keys); keys per node min ${p.minKeys} / max ${p.maxKeys} vs ideal R'/N ${p.idealPerNode} (max/ideal ${cell(p.maxOverIdeal, 0, 2)}, CV ${p.coefficientOfVariation})`,
    )
  }
  lines.push(`memory: peak ${mib(r.memory.peakTotalBytes)} total, ${mib(r.memory.finalPerNodeBytes)} per node (${r.memory.method})`)
  return lines.join('\n')
}
