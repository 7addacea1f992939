/**
 * Our gateway under the same load as the ceiling: a real node + Gateway in its own child process
 * (node-server.ts), one child per scenario so one scenario's keys or garbage never weigh on another. GET and HEAD cycle over 100 of 10,000 preloaded 1 KiB keys; PUT writes unique keys; the
 * prefix page lists 100 keys of a 1,000,000-key store (preloaded through node.put in the child).
 */
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BenchOptions } from './args.js'
import { BARE_GET, BARE_PUT, type Ceiling, type CeilingName, compare, VALUE_1KIB } from './ceiling.js'
import { type BenchChild, startChild } from './child.js'
import { indexWidth, padIndex } from './keys.js'
import { type LoadRequest, runLoad } from './load.js'
import { summarizeProfile } from './profile-summary.js'
import type { LoadFigure } from './types.js'

/** Keys preloaded for GET and HEAD, and how many of them the connections cycle over. */
const READ_KEYS = 10_000
const READ_SAMPLE = 100
/** Page size of the listing scenario, as the issue asks. */
const LIST_LIMIT = 100
/** Matching keys per listing prefix: ten pages' worth, so every page has a next_cursor. */
const LIST_MATCHES = 1_000
/** Value size of the listing keyspace: small, so 1M keys fit easily; a page is keys only. */
const LIST_VALUE_BYTES = 100

interface GatewayScenario {
  name: string
  ceiling: CeilingName
  target: number
  preload?: { prefix: string; count: number; valueBytes: number }
  requests: LoadRequest[]
  uniqueIds?: boolean
  /** A new child for every round (PUT: each round starts from an empty store, as the bare PUT's Map does). */
  fresh?: boolean
}

/** Deterministic spread of indexes (no Math.random: two runs ask the same pages). */
function spread(count: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(((i * 7919) % n) * (count / n)))
}

function scenarios(opts: BenchOptions): GatewayScenario[] {
  const readWidth = indexWidth(READ_KEYS)
  const readKeys = spread(READ_KEYS, READ_SAMPLE).map((i) => `/v1/data/g/${padIndex(i, readWidth)}`)
  const listWidth = indexWidth(opts.listKeys)
  // A prefix of all but the last log10(LIST_MATCHES) digits matches LIST_MATCHES keys.
  const prefixDigits = Math.max(0, listWidth - indexWidth(LIST_MATCHES))
  const prefixes = spread(opts.listKeys, READ_SAMPLE).map((i) => `l/${padIndex(i, listWidth).slice(0, prefixDigits)}`)
  const readPreload = { prefix: 'g/', count: READ_KEYS, valueBytes: VALUE_1KIB.length }
  return [
    { name: 'gateway GET', ceiling: BARE_GET, target: 0.85, preload: readPreload, requests: readKeys.map((path) => ({ method: 'GET', path })) },
    { name: 'gateway HEAD', ceiling: BARE_GET, target: 0.85, preload: readPreload, requests: readKeys.map((path) => ({ method: 'HEAD', path })) },
    {
      name: 'gateway PUT',
      ceiling: BARE_PUT,
      target: 0.85,
      requests: [{ method: 'PUT', path: '/v1/data/p/[<id>]', body: VALUE_1KIB }],
      uniqueIds: true,
      fresh: true,
    },
    {
      name: `gateway prefix page (${(opts.listKeys / 1e6).toLocaleString('en-US')}M keys)`,
      ceiling: BARE_GET,
      target: 0.3,
      preload: { prefix: 'l/', count: opts.listKeys, valueBytes: LIST_VALUE_BYTES },
      requests: prefixes.map((p) => ({ method: 'GET', path: `/v1/keys?prefix=${encodeURIComponent(p)}&limit=${LIST_LIMIT}` })),
    },
  ]
}

async function startGateway(s: GatewayScenario, log: (line: string) => void): Promise<BenchChild> {
  const child = await startChild(fileURLToPath(new URL('./node-server.js', import.meta.url)), { args: ['--gateway'] })
  if (child.url === 'none') throw new Error('the bench node child has no gateway')
  if (s.preload) {
    const done = await child.call<{ seconds: number }>('preload', s.preload)
    log(`  ${s.name}: preloaded ${s.preload.count.toLocaleString('en-US')} keys through node.put in ${done.seconds.toFixed(1)} s`)
  }
  return child
}

async function runOne(
  s: GatewayScenario,
  child: BenchChild,
  opts: BenchOptions,
  ceiling: Ceiling,
  profDir: string | undefined,
  log: (line: string) => void,
): Promise<{ figure: LoadFigure; profile?: string }> {
  const profFile = profDir ? join(profDir, `${s.name.replace(/[^A-Za-z0-9]+/g, '-')}-${Date.now()}.cpuprofile`) : undefined
  // The ceiling right before, while this child sits idle: both halves of the ratio see the same machine.
  const base = await ceiling.measure(s.ceiling)
  const f = await runLoad({
    scenario: s.name,
    group: 'gateway',
    url: child.url,
    requests: s.requests,
    uniqueIds: s.uniqueIds,
    connections: opts.connections,
    durationS: opts.durationS,
    warmupS: opts.warmupS,
    workers: opts.workers,
    serverCpuSeconds: () => child.cpuSeconds(),
    onMeasureStart: profFile ? () => child.call('profileStart') : undefined,
    onMeasureEnd: profFile ? () => child.call('profileStop', { file: profFile }) : undefined,
  })
  compare(f, base, s.target)
  log(`    ${Math.round(f.reqPerSec)} req/s = ${(f.ratio ?? 0).toFixed(2)}× ${s.ceiling} (${Math.round(base.reqPerSec)} req/s)`)
  return { figure: f, profile: profFile ? `${s.name}:\n${summarizeProfile(profFile)}` : undefined }
}

/**
 * The gateway children, one per scenario, started and preloaded together (the 1M-key preload takes
 * minutes on a busy 2-core machine, so the bench runs it beside the memory section, before any load is
 * timed). Kept for all rounds; each sits idle while the others are measured.
 */
export class GatewayFleet {
  private readonly children = new Map<string, Promise<BenchChild>>()

  constructor(
    private readonly opts: BenchOptions,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts every child and its preload; resolves when all are ready. */
  async prepare(): Promise<void> {
    for (const s of scenarios(this.opts)) this.child(s)
    await Promise.all(this.children.values())
  }

  /** A fresh child for s when it asks for one (the previous one is stopped), else the one it has. */
  async renew(s: GatewayScenario, round: number): Promise<BenchChild> {
    if (s.fresh && round > 1) {
      await (await this.children.get(s.name)?.catch(() => undefined))?.stop()
      this.children.delete(s.name)
    }
    return await this.child(s)
  }

  child(s: GatewayScenario): Promise<BenchChild> {
    let c = this.children.get(s.name)
    if (!c) {
      c = startGateway(s, this.log)
      // A failed start is reported where the child is awaited.
      c.catch(() => {})
      this.children.set(s.name, c)
    }
    return c
  }

  async stop(): Promise<void> {
    await Promise.all([...this.children.values()].map(async (c) => (await c.catch(() => undefined))?.stop()))
    this.children.clear()
  }
}

/** Each scenario `rounds` times (each with its own ceiling measurement); reports the round with the median ratio. */
export async function runGateway(
  opts: BenchOptions,
  fleet: GatewayFleet,
  ceiling: Ceiling,
  log: (line: string) => void,
): Promise<{ figures: LoadFigure[]; profiles: string[] }> {
  const profDir = opts.cpuProf ? resolve(opts.cpuProf) : undefined
  if (profDir) mkdirSync(profDir, { recursive: true })
  const list = scenarios(opts)
  const results = new Map<string, { figure: LoadFigure; profile?: string }[]>()
  for (let round = 1; round <= opts.rounds; round++) {
    for (const s of list) {
      log(`  ${s.name}${opts.rounds > 1 ? ` (round ${round} of ${opts.rounds})` : ''} …`)
      const r = await runOne(s, await fleet.renew(s, round), opts, ceiling, profDir, log)
      results.set(s.name, [...(results.get(s.name) ?? []), r])
    }
  }
  const figures: LoadFigure[] = []
  const profiles: string[] = []
  for (const s of list) {
    const all = (results.get(s.name) ?? []).sort((a, b) => (a.figure.ratio ?? 0) - (b.figure.ratio ?? 0))
    const mid = all[Math.floor((all.length - 1) / 2)]
    if (!mid) continue
    if (all.length > 1) mid.figure.note = `median of ${all.length} rounds; ratios ${all.map((r) => (r.figure.ratio ?? 0).toFixed(2)).join(', ')}`
    // A round with errors invalidates the figure even if its ratio is not the median.
    if (all.some((r) => !r.figure.valid)) mid.figure.valid = false
    figures.push(mid.figure)
    if (mid.profile) profiles.push(mid.profile)
  }
  return { figures, profiles }
}
