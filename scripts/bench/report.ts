/** Prints the figures as readable tables on stdout, and writes them as JSON for --json. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { BenchReport, LatencyFigure, LoadFigure, MemoryFigure } from './types.js'

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US')
const ms = (n: number): string => (n < 10 ? n.toFixed(1) : n.toFixed(0))
const pct = (n: number | undefined): string => (n === undefined ? '—' : `${n.toFixed(0)}%`)

function verdict(f: LoadFigure): string {
  if (!f.valid) return 'INVALID (errors)'
  if (f.ratio === undefined || f.target === undefined) return ''
  return f.ratio >= f.target ? 'met' : 'MISSED'
}

export function formatLoad(figures: LoadFigure[]): string {
  const rows = figures.map((f) => [
    f.scenario,
    int(f.reqPerSec),
    ms(f.p50Ms),
    ms(f.p99Ms),
    int(f.non2xx),
    int(f.errors + f.timeouts),
    f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}× ${f.ceiling}`,
    f.target === undefined ? '' : `≥ ${f.target}×`,
    verdict(f),
    pct(f.serverCpuPct),
    pct(f.generatorCpuPct),
    f.serverCpuUsPerReq === undefined ? '—' : f.serverCpuUsPerReq.toFixed(0),
    f.cpuCostRatio === undefined ? '' : `${f.cpuCostRatio.toFixed(2)}×`,
  ])
  return table(['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'ratio', 'target', '', 'server CPU', 'gen CPU', 'CPU µs/req', 'cost ratio'], rows)
}

export function formatMemory(figures: MemoryFigure[]): string {
  const rows = figures.map((f) => [
    f.scenario,
    int(f.entries),
    int(f.keyBytes + f.valueBytes),
    int(f.bytesPerEntry),
    int(f.overheadPerEntry),
    `≤ ${f.targetOverhead}`,
    f.overheadPerEntry <= f.targetOverhead ? 'met' : 'MISSED',
    `${(f.heapDeltaBytes / f.entries).toFixed(0)} / ${(f.externalDeltaBytes / f.entries).toFixed(0)}`,
    f.insertSeconds.toFixed(1),
  ])
  return table(['scenario', 'entries', 'key+value B', 'RSS B/entry', 'overhead B', 'target', '', 'heap/external B/entry', 'insert s'], rows)
}

export function formatLatency(figures: LatencyFigure[]): string {
  const rows = figures.map((f) => [
    f.scenario,
    int(f.samples),
    ms(f.p50Ms),
    ms(f.p99Ms),
    ms(f.maxMs),
    int(f.failures),
    f.targetP99Ms === undefined ? '' : `p99 ≤ ${f.targetP99Ms} ms`,
    f.targetP99Ms === undefined ? '' : f.failures > 0 ? 'INVALID (failures)' : f.p99Ms <= f.targetP99Ms ? 'met' : 'MISSED',
  ])
  return table(['scenario', 'writes', 'p50 ms', 'p99 ms', 'max ms', 'failures', 'target', ''], rows)
}

export function formatReport(r: BenchReport): string {
  const out: string[] = []
  out.push(`REPRAM bench — ${r.date}`)
  out.push(
    `machine: ${r.machine.cpus} × ${r.machine.model}, ${r.machine.totalMemMiB} MiB, Node ${r.machine.node}, load average at start ${r.machine.loadavgAtStart.map((l) => l.toFixed(2)).join(' ')}`,
  )
  out.push(`options: ${JSON.stringify(r.options)}`)
  if (r.load.length > 0)
    out.push(
      '',
      'Throughput (req/s counts 2xx only; mesh PUT counts 201 only; CPU is % of one core; CPU µs/req is server CPU time per\n' +
        "counted request, summed over all mesh processes; cost ratio = the paired ceiling's µs/req ÷ this one's)",
      formatLoad(r.load),
    )
  const notes = r.load.filter((f) => f.note).map((f) => `  ${f.scenario}: ${f.note}`)
  if (notes.length > 0) out.push(...notes)
  if (r.latency.length > 0) out.push('', 'Latency', formatLatency(r.latency))
  const lnotes = r.latency.filter((f) => f.note).map((f) => `  ${f.scenario}: ${f.note}`)
  if (lnotes.length > 0) out.push(...lnotes)
  if (r.memory.length > 0) out.push('', 'Memory per stored entry (through the facade, node.put)', formatMemory(r.memory))
  for (const s of r.skipped) out.push('', `SKIPPED ${s.section}: ${s.reason}`)
  return `${out.join('\n')}\n`
}

export function writeJson(file: string, r: BenchReport): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`)
}
