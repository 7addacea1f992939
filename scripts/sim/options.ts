/**
 * `npm run simulate -- [options]`: every option, its default and why, parsed once into `SimOptions`.
 * A bad value is a `UsageError` naming the option; the script prints it with the usage and exits 2.
 */
import { parseArgs } from 'node:util'
import { DEFAULT_WEIGHTS, PATTERN_NAMES, type PatternName } from './patterns/names.js'

/** Big enough to show placement and re-replication, small enough to start in seconds. */
export const DEFAULT_NODES = 10
export const DEFAULT_REPLICATION = 3
/** Long enough for several heartbeat TTLs and a churn event or two. */
export const DEFAULT_DURATION_S = 60
/** Operations per second across the mesh: 5 and 10 in-process nodes sustain it on 2 cores; 50 reach 35-70 (shared machine). */
export const DEFAULT_RATE_PER_S = 100
/** Cap on operations in flight, so a slow mesh shows as lower throughput, not an unbounded queue. */
export const DEFAULT_CONCURRENCY = 64
/** Churn period: several events in a minute, each given time to re-replicate. */
export const DEFAULT_CHURN_INTERVAL_S = 15
/** Transfer/scheduling slack allowed when comparing a read's start with the writer's expires_at. */
export const DEFAULT_EXPIRY_TOLERANCE_MS = 100
export const DEFAULT_OUT_DIR = 'sim-results'
export const MAX_NODES = 500

export class UsageError extends Error {
  override name = 'UsageError'
}

export interface SimOptions {
  nodes: number
  replication: number
  durationS: number
  processes: boolean
  churn: boolean
  churnIntervalS: number
  scenarioFile: string | undefined
  seed: string
  ratePerS: number
  concurrency: number
  outDir: string
  html: boolean
  /** In-process only: drive the gateways over HTTP instead of the facades. */
  http: boolean
  expiryToleranceMs: number
  weights: Record<PatternName, number>
  help: boolean
}

export const USAGE = `usage: npm run simulate -- [options]
  --nodes N              nodes to start (default ${DEFAULT_NODES})
  --replication R        replicas per key (default ${DEFAULT_REPLICATION})
  --duration S           workload seconds (default ${DEFAULT_DURATION_S})
  --processes            one OS process per node (real \`repram node\`, driven over HTTP)
  --http                 in-process nodes, but drive their HTTP gateways instead of the facades
  --churn                kill -9 or stop a random node and start a fresh one every interval
  --churn-interval S     seconds between churn events (default ${DEFAULT_CHURN_INTERVAL_S})
  --scenario FILE        JSON of timed events, e.g. {"events":[{"at":10,"action":"kill","node":2}]}
  --seed TEXT            seed of the workload and churn choices (default: random, printed)
  --rate N               target operations per second (default ${DEFAULT_RATE_PER_S})
  --concurrency N        operations in flight at most (default ${DEFAULT_CONCURRENCY})
  --mix name=w,...       only these patterns, with these weights (${PATTERN_NAMES.join(', ')}; default ${Object.entries(DEFAULT_WEIGHTS)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')})
  --expiry-tolerance MS  slack for the expiry invariant (default ${DEFAULT_EXPIRY_TOLERANCE_MS})
  --out DIR              where report.json and report.html go (default ${DEFAULT_OUT_DIR}/)
  --no-html              skip the HTML report
  -h, --help             this text`

function intOpt(raw: string | undefined, name: string, def: number, min: number, max: number): number {
  if (raw === undefined) return def
  const s = raw.trim()
  if (!/^\d+$/.test(s)) throw new UsageError(`--${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`)
  const n = Number(s)
  if (n < min || n > max) throw new UsageError(`--${name}: expected a whole number from ${min} to ${max}, got ${n}`)
  return n
}

function numOpt(raw: string | undefined, name: string, def: number, min: number, max: number): number {
  if (raw === undefined) return def
  const n = Number(raw.trim())
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${name}: expected a number from ${min} to ${max}, got ${JSON.stringify(raw)}`)
  return n
}

/** `name=w,…`: the patterns named, with those weights; the others are off. */
export function parseMix(raw: string): Record<PatternName, number> {
  const weights = Object.fromEntries(PATTERN_NAMES.map((n) => [n, 0])) as Record<PatternName, number>
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue
    const [name, w] = part.split('=')
    if (!(PATTERN_NAMES as readonly string[]).includes(name.trim())) {
      throw new UsageError(`--mix: unknown pattern ${JSON.stringify(name)}; known: ${PATTERN_NAMES.join(', ')}`)
    }
    weights[name.trim() as PatternName] = numOpt(w, `mix ${name}`, 0, 0, 1_000_000)
  }
  if (Object.values(weights).every((w) => w === 0)) throw new UsageError('--mix: at least one pattern needs a positive weight')
  return weights
}

export function parseOptions(argv: string[], randomSeed: () => string = () => Math.floor(Math.random() * 2 ** 32).toString(16)): SimOptions {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        nodes: { type: 'string' },
        replication: { type: 'string' },
        duration: { type: 'string' },
        processes: { type: 'boolean' },
        http: { type: 'boolean' },
        churn: { type: 'boolean' },
        'churn-interval': { type: 'string' },
        scenario: { type: 'string' },
        seed: { type: 'string' },
        rate: { type: 'string' },
        concurrency: { type: 'string' },
        mix: { type: 'string' },
        'expiry-tolerance': { type: 'string' },
        out: { type: 'string' },
        'no-html': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const str = (k: string): string | undefined => values[k] as string | undefined
  const nodes = intOpt(str('nodes'), 'nodes', DEFAULT_NODES, 1, MAX_NODES)
  const opts: SimOptions = {
    nodes,
    replication: intOpt(str('replication'), 'replication', DEFAULT_REPLICATION, 1, 64),
    durationS: numOpt(str('duration'), 'duration', DEFAULT_DURATION_S, 1, 7 * 86_400),
    processes: values.processes === true,
    churn: values.churn === true,
    churnIntervalS: numOpt(str('churn-interval'), 'churn-interval', DEFAULT_CHURN_INTERVAL_S, 1, 86_400),
    scenarioFile: str('scenario'),
    seed: str('seed') ?? randomSeed(),
    ratePerS: numOpt(str('rate'), 'rate', DEFAULT_RATE_PER_S, 0.1, 100_000),
    concurrency: intOpt(str('concurrency'), 'concurrency', DEFAULT_CONCURRENCY, 1, 10_000),
    outDir: str('out') ?? DEFAULT_OUT_DIR,
    html: values['no-html'] !== true,
    http: values.http === true,
    expiryToleranceMs: intOpt(str('expiry-tolerance'), 'expiry-tolerance', DEFAULT_EXPIRY_TOLERANCE_MS, 0, 60_000),
    weights: str('mix') === undefined ? { ...DEFAULT_WEIGHTS } : parseMix(str('mix') as string),
    help: values.help === true,
  }
  if (opts.seed.trim() === '') throw new UsageError('--seed: expected a non-empty string')
  if (opts.processes && opts.http) throw new UsageError('--http is implied by --processes; give one of them')
  return opts
}
