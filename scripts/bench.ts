/**
 * `npm run bench`: the figures issue 2 and issue 3 ask for, in one run with one load generator.
 * Ceiling (a bare node:http server) → gateway (GET, PUT, HEAD, prefix page over 1M keys) → memory per
 * entry through the facade → a 3/4-process mesh. Every server runs in its own child process; the
 * generator (autocannon) runs here. Prints a table; --json FILE writes the figures.
 */
import '../src/polyfill.js'
import { cpus, loadavg, totalmem } from 'node:os'
import { parseBenchArgs, USAGE } from './bench/args.js'
import { BARE_GET, BARE_HEAD, BARE_PUT, Ceiling } from './bench/ceiling.js'
import { GatewayFleet, runGateway } from './bench/gateway-scenarios.js'
import { runMemory } from './bench/memory.js'
import { runMesh } from './bench/mesh.js'
import { formatReport, writeJson } from './bench/report.js'
import type { BenchReport } from './bench/types.js'

function log(line: string): void {
  process.stderr.write(`${line}\n`)
}

async function main(): Promise<number> {
  const opts = parseBenchArgs(process.argv.slice(2))
  if (opts === 'help') {
    process.stdout.write(USAGE)
    return 0
  }
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? 'unknown',
      node: process.versions.node,
      totalMemMiB: Math.round(totalmem() / 1024 / 1024),
      loadavgAtStart: loadavg(),
    },
    options: { ...opts },
    load: [],
    memory: [],
    latency: [],
    skipped: [],
  }
  const ceiling = new Ceiling(opts)
  const fleet = new GatewayFleet(opts, log)
  const tail: typeof report.load = []
  let profiles: string[] = []
  try {
    // Nothing is timed yet: the memory probes and the gateway preloads (1M keys) run side by side.
    let preparing: Promise<void> = Promise.resolve()
    if (opts.sections.includes('gateway')) {
      log('gateway: starting children and preloading')
      preparing = fleet.prepare()
      // Awaited below; this only keeps a failure during the memory section from going unhandled.
      preparing.catch(() => {})
    }
    if (opts.sections.includes('memory')) {
      log('memory: RSS per entry through node.put')
      report.memory.push(...(await runMemory(opts, log)))
    }
    await preparing
    if (opts.sections.includes('ceiling')) {
      log('ceiling: bare node:http server in a child process')
      for (const name of [BARE_GET, BARE_HEAD, BARE_PUT] as const) {
        log(`  ${name} …`)
        await ceiling.measure(name)
      }
    }
    if (opts.sections.includes('gateway')) {
      log('gateway: node + Gateway in a child process, each right after its bare ceiling')
      if (!opts.sections.includes('ceiling')) await ceiling.measure(BARE_HEAD)
      const g = await runGateway(opts, fleet, ceiling, log)
      await fleet.stop()
      tail.push(...g.figures)
      profiles = g.profiles
    }
    if (opts.sections.includes('mesh')) {
      log('mesh: repram node processes through createTestnet')
      const m = await runMesh(opts, ceiling, log)
      tail.push(...m.load)
      report.latency.push(...m.latency)
      report.skipped.push(...m.skipped)
      profiles.push(...m.profiles)
    }
  } finally {
    await fleet.stop()
    await ceiling.stop()
  }
  for (const name of [BARE_GET, BARE_HEAD, BARE_PUT] as const) {
    const c = ceiling.summary(name)
    if (c) report.load.push(c)
  }
  report.load.push(...tail)
  process.stdout.write(formatReport(report))
  if (profiles.length > 0) process.stdout.write(`\nCPU profiles (--cpu-prof)\n${profiles.join('\n\n')}\n`)
  if (opts.json) writeJson(opts.json, report)
  return 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exitCode = 1
  },
)
