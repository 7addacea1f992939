/**
 * What a scenario gets and gives back. A scenario builds its own cluster(s) through the kit, injects
 * its faults, drives load and its own probes through recording clients, and reports scenario-level
 * violations (copies, convergence, quorum); the runner then judges the whole history with the
 * checker. Times it measured (restoration, convergence) go into `measure` for the table.
 */
import { createRng, type Rng } from '../sim/prng.js'
import type { Capabilities } from './capabilities.js'
import { Recorder } from './client.js'
import { Cluster, type ClusterInit } from './cluster.js'
import { History } from './history.js'
import { NetLab } from './netns.js'
import type { Violation, ViolationKind } from './violation.js'

export interface SuiteOptions {
  /** The short subset's sizes (npm test). */
  quick: boolean
  /** Repetitions of the repeated scenarios (late joiner, restoration). */
  reps: number
  seed: string
  toleranceMs: number
  caps: Capabilities
  log: (line: string) => void
}

export interface Scenario {
  name: string
  /** 'netns' / 'faketime': skipped with the reason when the machine lacks it. */
  needs?: 'netns' | 'faketime'
  run(kit: Kit): Promise<void>
}

export interface Measure {
  label: string
  /** ms, or undefined when it never happened within its bound. */
  values: Array<number | undefined>
}

export class Kit {
  readonly name: string
  readonly opts: SuiteOptions
  readonly history = new History()
  readonly rng: Rng
  readonly recorder: Recorder
  readonly violations: Violation[] = []
  readonly notes: string[] = []
  readonly measures = new Map<string, Measure>()
  /** RYW exemptions for the checker (set by partition scenarios). */
  exempt: ((r: import('./history.js').Op, w: import('./history.js').Op) => boolean) | undefined
  private readonly clusters: Cluster[] = []

  constructor(name: string, opts: SuiteOptions) {
    this.name = name
    this.opts = opts
    this.rng = createRng(`${opts.seed}:${name}`)
    this.recorder = new Recorder({ history: this.history, runId: `${opts.seed}-${name}`.replace(/\|/g, '_'), rng: this.rng.fork('values') })
  }

  log(line: string): void {
    this.opts.log(`[${this.name}] ${line}`)
  }

  cluster(init: Omit<ClusterInit, 'recorder' | 'lab'> & { netns?: boolean } = {}): Cluster {
    const lab = init.netns ? NetLab.create() : undefined
    const c = new Cluster({ ...init, recorder: this.recorder, lab })
    this.clusters.push(c)
    return c
  }

  violation(kind: ViolationKind, message: string, extra: { key?: string; node?: string; excerpt?: string[] } = {}): void {
    this.violations.push({ kind, message, atMs: performance.timeOrigin + performance.now(), key: extra.key, node: extra.node, excerpt: extra.excerpt ?? [] })
    this.log(`VIOLATION ${kind}: ${message}`)
  }

  note(line: string): void {
    this.notes.push(line)
    this.log(line)
  }

  measure(label: string, ms: number | undefined): void {
    let m = this.measures.get(label)
    if (!m) {
      m = { label, values: [] }
      this.measures.set(label, m)
    }
    m.values.push(ms)
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.clusters.splice(0).map((c) => c.stop()))
  }

  /** Node log tails of every cluster, for a crashed scenario. */
  logs(): string[] {
    return this.clusters.flatMap((c) => c.logs())
  }
}

/** Scenario keys: a prefix per scenario so listings only see their own. */
export function keysFor(prefix: string, n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(from + i).padStart(4, '0')}`)
}
