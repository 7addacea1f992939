/** The suite's printed report: one row per scenario, then every violation kind with history excerpts. */
import type { ScenarioResult } from './runner.js'
import { countByKind, VIOLATION_KINDS, type ViolationKind } from './violation.js'

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length)
}

function ms(v: number): string {
  return v >= 10_000 ? `${(v / 1000).toFixed(1)}s` : `${Math.round(v)}ms`
}

/** "restore: max 1.2s p50 300ms (20/20)" — undefined values never happened within their bound. */
export function formatMeasures(r: ScenarioResult): string {
  return r.measures
    .map((m) => {
      const got = m.values.filter((v): v is number => v !== undefined).sort((a, b) => a - b)
      if (got.length === 0) return `${m.label}: never (0/${m.values.length})`
      const p50 = got[Math.floor((got.length - 1) / 2)]
      return `${m.label}: max ${ms(got[got.length - 1])} p50 ${ms(p50)} (${got.length}/${m.values.length})`
    })
    .join('; ')
}

export function formatTable(results: readonly ScenarioResult[]): string {
  const head = ['scenario', 'operations', 'faults', 'violations', 'convergence / restoration']
  const rows = results.map((r) => {
    const counts = countByKind(r.violations)
    const v = r.skipped
      ? 'SKIPPED'
      : `${r.violations.length}${
          r.violations.length
            ? ` (${Object.entries(counts)
                .map(([k, n]) => `${k} ${n}`)
                .join(', ')})`
            : ''
        }${r.error ? ' + RUN ERROR' : ''}`
    return [r.name, r.skipped ? '-' : String(r.ops), r.skipped ? '-' : String(r.faults), v, r.skipped ? r.skipped : formatMeasures(r) || '-']
  })
  const total = results.reduce((s, r) => s + r.ops, 0)
  const faults = results.reduce((s, r) => s + r.faults, 0)
  const viol = results.reduce((s, r) => s + r.violations.length, 0)
  rows.push(['TOTAL', String(total), String(faults), String(viol), ''])
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i].length))))
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]))).join('  ')
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

export function formatViolations(results: readonly ScenarioResult[], perKind = 3): string {
  const out: string[] = []
  for (const r of results) {
    if (r.error) out.push(`\n## ${r.name}: the scenario failed to run\n${r.error.split('\n').slice(0, 6).join('\n')}`)
    if (r.violations.length === 0) continue
    out.push(`\n## ${r.name}: ${r.violations.length} violations`)
    const byKind = new Map<ViolationKind, typeof r.violations>()
    for (const v of r.violations) byKind.set(v.kind, [...(byKind.get(v.kind) ?? []), v])
    for (const [kind, vs] of byKind) {
      out.push(`\n### ${kind} ×${vs.length}: ${VIOLATION_KINDS[kind]}`)
      for (const v of vs.slice(0, perKind)) {
        out.push(`- ${v.key ? `key ${v.key}: ` : ''}${v.message}`)
        for (const l of v.excerpt) out.push(`    ${l}`)
      }
      if (vs.length > perKind) out.push(`- … ${vs.length - perKind} more`)
    }
  }
  return out.join('\n')
}

export function formatNotes(results: readonly ScenarioResult[]): string {
  const out: string[] = []
  for (const r of results) {
    const s = r.stats
    if (r.skipped) continue
    const kinds = Object.entries(s.byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')
    out.push(
      `${r.name}: ${kinds}; PUT 201 ${s.acked} / 202 ${s.pending}; no answer ${s.noAnswer}, 5xx ${s.errors5xx}; latency p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms, max ${s.maxMs} ms; ${(r.durationMs / 1000).toFixed(0)} s`,
    )
    for (const n of r.notes) out.push(`  - ${n}`)
  }
  return out.join('\n')
}
