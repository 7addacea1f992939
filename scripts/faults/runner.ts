/**
 * Runs scenarios one after another: skips what the machine cannot do (with the reason), runs the
 * scenario, always stops its nodes and namespaces, then judges the history with the checker.
 */
import { faketimeSkipReason, netnsSkipReason } from './capabilities.js'
import { checkHistory, type OpStats, opStats } from './checker.js'
import type { History } from './history.js'
import { Kit, type Measure, type Scenario, type SuiteOptions } from './scenario.js'
import type { Violation } from './violation.js'

export interface ScenarioResult {
  name: string
  ops: number
  faults: number
  violations: Violation[]
  measures: Measure[]
  notes: string[]
  stats: OpStats
  durationMs: number
  skipped?: string
  error?: string
  history?: History
}

export async function runScenario(s: Scenario, opts: SuiteOptions): Promise<ScenarioResult> {
  const t0 = performance.now()
  const kit = new Kit(s.name, opts)
  const skip = s.needs === 'netns' ? netnsSkipReason(opts.caps) : s.needs === 'faketime' ? faketimeSkipReason(opts.caps) : undefined
  const base = { name: s.name, measures: [], notes: [], stats: opStats(kit.history), ops: 0, faults: 0, violations: [] }
  if (skip) {
    opts.log(`[${s.name}] SKIPPED: ${skip}`)
    return { ...base, durationMs: 0, skipped: skip }
  }
  opts.log(`[${s.name}] starting`)
  let error: string | undefined
  try {
    await s.run(kit)
  } catch (err) {
    error = err instanceof Error ? (err.stack ?? err.message) : String(err)
    opts.log(`[${s.name}] FAILED TO RUN: ${error}\n${kit.logs().slice(-40).join('\n')}`)
  } finally {
    await kit.stopAll()
  }
  const found = checkHistory(kit.history, { toleranceMs: opts.toleranceMs, exempt: kit.exempt })
  const violations = [...kit.violations, ...found]
  const result: ScenarioResult = {
    name: s.name,
    ops: kit.history.count,
    faults: kit.history.faultCount,
    violations,
    measures: [...kit.measures.values()],
    notes: kit.notes,
    stats: opStats(kit.history),
    durationMs: Math.round(performance.now() - t0),
    error,
    history: kit.history,
  }
  opts.log(`[${s.name}] done in ${(result.durationMs / 1000).toFixed(1)} s: ${result.ops} ops, ${result.faults} faults, ${violations.length} violations`)
  return result
}
