/**
 * `npm run simulate -- [options]`: many REPRAM nodes on this machine (one process by default, or one
 * process each), a workload of the patterns REPRAM exists for, optional churn, invariants checked
 * all along; ends with a summary on stdout and report.json / report.html in --out. Exit codes: 0 all
 * invariants held, 1 an invariant was violated, 2 bad usage, 3 the mesh could not be set up or the
 * run crashed. Progress and logs go to stderr.
 */
import '../src/polyfill.js'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { renderHtml } from './sim/html-report.js'
import { parseOptions, type SimOptions, USAGE, UsageError } from './sim/options.js'
import { runSimulation } from './sim/run.js'
import { type ChurnEvent, generateChurn, loadScenario } from './sim/scenario.js'
import { formatSummary } from './sim/summary.js'
import { loadCreateTestnet } from './sim/testnet.js'

async function main(argv: string[]): Promise<number> {
  let o: SimOptions
  let events: ChurnEvent[] = []
  try {
    o = parseOptions(argv)
    if (o.help) {
      process.stdout.write(`${USAGE}\n`)
      return 0
    }
    if (o.scenarioFile) events = await loadScenario(o.scenarioFile)
    if (o.churn) events = [...events, ...generateChurn(o.durationS, o.churnIntervalS)].sort((a, b) => a.at - b.at)
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`simulate: ${err.message}\n${USAGE}\n`)
      return 2
    }
    throw err
  }
  process.on('unhandledRejection', (err) => process.stderr.write(`simulate: unhandled rejection: ${err instanceof Error ? err.stack : String(err)}\n`))
  const abort = new AbortController()
  process.once('SIGINT', () => {
    process.stderr.write('\nsimulate: interrupted, stopping the workload and reporting\n')
    abort.abort()
  })
  const report = await runSimulation(o, events, {
    createTestnet: await loadCreateTestnet(),
    log: (line) => process.stderr.write(`${line}\n`),
    abort: abort.signal,
  })
  const out = resolve(o.outDir)
  await mkdir(out, { recursive: true })
  await writeFile(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`)
  if (o.html) await writeFile(join(out, 'report.html'), renderHtml(report))
  process.stdout.write(`${formatSummary(report)}\nreports: ${join(out, 'report.json')}${o.html ? `, ${join(out, 'report.html')}` : ''}\n`)
  return report.exitCode
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
    // Lingering sockets of killed peers must not keep a finished simulation alive.
    setTimeout(() => process.exit(code), 2_000).unref()
  },
  (err: unknown) => {
    process.stderr.write(`simulate: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(3)
  },
)
