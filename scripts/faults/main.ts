/**
 * `npm run faults -- [options]`: the fault suite against real `repram node` processes — kill -9,
 * SIGSTOP/SIGCONT past a TTL, restart with the same identity, joins and leaves under load, clock skew
 * (libfaketime), partitions and packet loss (network namespaces + nftables) — each followed by a
 * Jepsen-style check of the recorded client history. Prints one row per scenario and every violation
 * with its history, writes the histories to --out, exits 1 on any violation or scenario failure
 * (0 otherwise; 2 bad usage). Progress goes to stderr, the report to stdout.
 */
import '../../src/polyfill.js'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { capabilities } from './capabilities.js'
import { cleanUpOnSignals, cleanupAll } from './cleanup.js'
import { runScenario, type ScenarioResult } from './runner.js'
import type { SuiteOptions } from './scenario.js'
import { selectScenarios } from './suite.js'
import { formatNotes, formatTable, formatViolations } from './table.js'

const USAGE = `Usage: npm run faults -- [--only a,b] [--reps N] [--quick] [--seed S] [--tolerance MS] [--out DIR]

  --only a,b      run only these scenarios (default: all)
  --reps N        repetitions of the restoration and late-joiner scenarios (default 20; --quick: 2)
  --quick         the short sizes npm test uses
  --seed S        seed of every random choice (default: random, printed)
  --tolerance MS  slack for expiry and read-your-writes judgements (default 300)
  --out DIR       where histories and the report go (default sim-results/faults/<time>)`

class UsageError extends Error {}

function parse(argv: string[]): { only?: string[]; reps?: number; quick: boolean; seed: string; toleranceMs: number; out?: string; help: boolean } {
  const o = { quick: false, seed: Math.random().toString(16).slice(2, 10), toleranceMs: 300, help: false } as ReturnType<typeof parse>
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const val = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new UsageError(`${a} needs a value`)
      return v
    }
    if (a === '--only') o.only = val().split(',').filter(Boolean)
    else if (a === '--reps') o.reps = Number(val())
    else if (a === '--quick') o.quick = true
    else if (a === '--seed') o.seed = val()
    else if (a === '--tolerance') o.toleranceMs = Number(val())
    else if (a === '--out') o.out = val()
    else if (a === '--help' || a === '-h') o.help = true
    else throw new UsageError(`unknown option ${a}`)
  }
  if (o.reps !== undefined && (!Number.isInteger(o.reps) || o.reps < 1)) throw new UsageError('--reps must be a positive integer')
  if (!Number.isFinite(o.toleranceMs) || o.toleranceMs < 0) throw new UsageError('--tolerance must be a number ≥ 0')
  return o
}

async function main(argv: string[]): Promise<number> {
  let o: ReturnType<typeof parse>
  let scenarios: ReturnType<typeof selectScenarios>
  try {
    o = parse(argv)
    if (o.help) {
      process.stdout.write(`${USAGE}\n`)
      return 0
    }
    scenarios = selectScenarios(o.only)
  } catch (err) {
    process.stderr.write(`faults: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`)
    return 2
  }
  cleanUpOnSignals()
  process.on('unhandledRejection', (err) => process.stderr.write(`faults: unhandled rejection: ${err instanceof Error ? err.stack : String(err)}\n`))
  const caps = capabilities()
  const t0 = Date.now()
  const opts: SuiteOptions = {
    quick: o.quick,
    reps: o.reps ?? (o.quick ? 2 : 20),
    seed: o.seed,
    toleranceMs: o.toleranceMs,
    caps,
    log: (line) => process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(1).padStart(7)}s ${line}\n`),
  }
  opts.log(
    `seed ${o.seed}; root ${caps.root}, ip ${caps.ip}, nft ${caps.nft}, libfaketime ${caps.faketimeLib ?? 'missing'}, tc netem ${caps.netem ? 'yes' : 'no (sch_netem not in this kernel)'}`,
  )
  const results: ScenarioResult[] = []
  for (const s of scenarios) results.push(await runScenario(s, opts))
  cleanupAll()

  const out = resolve(o.out ?? join('sim-results', 'faults', new Date(t0).toISOString().replace(/[:.]/g, '-')))
  mkdirSync(out, { recursive: true })
  for (const r of results) {
    if (!r.history) continue
    const h = r.history
    writeFileSync(join(out, `${r.name}.history.jsonl`), `${h.ops.map((op) => JSON.stringify(op)).join('\n')}\n`)
    writeFileSync(join(out, `${r.name}.faults.txt`), `${h.faults.map((f) => `${h.rel(f.atMs)} ${f.fault ? 'FAULT' : 'event'} ${f.what}`).join('\n')}\n`)
  }
  const report = [
    `REPRAM fault suite, seed ${o.seed}, ${new Date(t0).toISOString()}, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    '',
    formatTable(results),
    '',
    formatNotes(results),
    formatViolations(results),
    '',
    `histories: ${out}`,
  ].join('\n')
  writeFileSync(join(out, 'report.txt'), `${report}\n`)
  writeFileSync(
    join(out, 'violations.json'),
    JSON.stringify(
      results.map((r) => ({ scenario: r.name, violations: r.violations })),
      null,
      1,
    ),
  )
  process.stdout.write(`${report}\n`)
  const bad = results.some((r) => r.violations.length > 0 || r.error !== undefined)
  return bad ? 1 : 0
}

main(process.argv.slice(2)).then(
  (code) => {
    cleanupAll()
    process.exit(code)
  },
  (err) => {
    process.stderr.write(`faults: ${err instanceof Error ? err.stack : String(err)}\n`)
    cleanupAll()
    process.exit(1)
  },
)
