/** Command-line flags of `npm run bench`, with their defaults and why. */
import { parseArgs } from 'node:util'

export type Section = 'ceiling' | 'gateway' | 'memory' | 'mesh'
export const SECTIONS: readonly Section[] = ['ceiling', 'gateway', 'memory', 'mesh']

/** Long enough for a stable mean on a shared 2-core machine, short enough to run the whole bench in minutes. */
const DEFAULT_DURATION_S = 10
const QUICK_DURATION_S = 2
/** As the issue asks: 50 concurrent connections. */
const DEFAULT_CONNECTIONS = 50
/** The listing scenario's keyspace, as the issue asks. */
const DEFAULT_LIST_KEYS = 1_000_000
/** A smoke run lists over fewer keys; a page still costs O(log n + page). */
const QUICK_LIST_KEYS = 100_000
/** Writes timed for write-to-readable-everywhere. */
const DEFAULT_VISIBILITY_WRITES = 300
const QUICK_VISIBILITY_WRITES = 50

export interface BenchOptions {
  durationS: number
  warmupS: number
  connections: number
  workers: number
  rounds: number
  sections: Section[]
  listKeys: number
  memoryScale: number
  visibilityWrites: number
  json: string | undefined
  cpuProf: string | undefined
  quick: boolean
}

export const USAGE = `npm run bench -- [flags]

  --duration S      seconds per load scenario (default ${DEFAULT_DURATION_S}; --quick: ${QUICK_DURATION_S})
  --quick           smoke run: ${QUICK_DURATION_S} s per scenario, ${QUICK_LIST_KEYS} listed keys, memory at 1/10 scale
  --only LIST       comma-separated sections: ${SECTIONS.join(',')} (ceiling alone: just the bare server's GET, HEAD, PUT; it also runs, paired, inside gateway and mesh)
  --connections N   concurrent connections (default ${DEFAULT_CONNECTIONS})
  --workers N       autocannon worker threads (default 0: the generator runs in the bench's main thread)
  --rounds N        run each gateway scenario N times, each right after its own ceiling run; report the median ratio (default 1)
  --list-keys N     keys stored for the listing scenario (default ${DEFAULT_LIST_KEYS})
  --json FILE       also write every figure as JSON (bench-results/ is gitignored)
  --cpu-prof DIR    CPU-profile each gateway child during its measured run, and the 3-process mesh nodes over
                    their whole life (DIR/**/*.cpuprofile); print where the time went
`

export function parseBenchArgs(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      connections: { type: 'string' },
      workers: { type: 'string' },
      rounds: { type: 'string' },
      'list-keys': { type: 'string' },
      json: { type: 'string' },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  })
  if (values.help) return 'help'
  const quick = values.quick === true
  const num = (raw: string | undefined, name: string, dflt: number, min: number): number => {
    if (raw === undefined) return dflt
    const n = Number(raw)
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name}: expected a number ≥ ${min}, got ${JSON.stringify(raw)}`)
    return n
  }
  const durationS = num(values.duration, 'duration', quick ? QUICK_DURATION_S : DEFAULT_DURATION_S, 1)
  let sections: Section[] = [...SECTIONS]
  if (values.only !== undefined) {
    sections = values.only.split(',').map((s) => s.trim()) as Section[]
    for (const s of sections) if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section ${JSON.stringify(s)}; expected ${SECTIONS.join(', ')}`)
  }
  return {
    durationS,
    // A warm-up of a fifth of the run (at most 2 s) lets the JIT settle before the measured part.
    warmupS: Math.min(2, Math.max(0.5, durationS / 5)),
    connections: num(values.connections, 'connections', DEFAULT_CONNECTIONS, 1),
    workers: num(values.workers, 'workers', 0, 0),
    rounds: num(values.rounds, 'rounds', 1, 1),
    sections,
    listKeys: num(values['list-keys'], 'list-keys', quick ? QUICK_LIST_KEYS : DEFAULT_LIST_KEYS, 1000),
    memoryScale: quick ? 0.1 : 1,
    visibilityWrites: quick ? QUICK_VISIBILITY_WRITES : DEFAULT_VISIBILITY_WRITES,
    json: values.json,
    cpuProf: values['cpu-prof'],
    quick,
  }
}
