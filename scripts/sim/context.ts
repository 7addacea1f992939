/**
 * What every workload pattern works through: pick nodes, write (recorded in the ledger), read (judged
 * by the invariant checker), list, all timed into the statistics. Patterns hold only their own
 * agents' state; the bookkeeping is here, in one place.
 */
import type { GetAnswer, ListAnswer, PutAnswer } from './client.js'
import type { InvariantChecker, ReadVerdict } from './invariants.js'
import type { Ledger, WriteEntry } from './ledger.js'
import { digest, makeValue } from './payload.js'
import type { NodePool, SimNode } from './pool.js'
import type { Rng } from './prng.js'
import type { OpStats } from './stats.js'
import type { ViolationLog } from './violations.js'

export interface WriteResult extends PutAnswer {
  entry: WriteEntry
}

export interface ReadResult {
  answer: GetAnswer
  verdict: ReadVerdict | 'unjudged'
}

export interface ContextComponents {
  pool: NodePool
  ledger: Ledger
  checker: InvariantChecker
  stats: OpStats
  violations: ViolationLog
  rng: Rng
  now?: () => number
}

export class WorkloadContext {
  readonly runId: string
  readonly rng: Rng
  readonly pool: NodePool
  readonly ledger: Ledger
  readonly violations: ViolationLog
  readonly now: () => number
  /** ms timestamp of the workload start; report times are relative to it. */
  readonly origin: number
  private readonly checker: InvariantChecker
  private readonly stats: OpStats
  private stopping = false
  /** Reads by verdict: ok, violation, error (a failed read nothing was owed to), unjudged (node went down). */
  readonly readVerdicts: Record<string, number> = { ok: 0, violation: 0, error: 0, unjudged: 0 }
  /** Writes by answer: 201 acknowledged, 202 pending, else the error status. */
  readonly writeStatuses: Record<string, number> = {}

  constructor(components: ContextComponents, init: { runId: string; origin: number }) {
    this.pool = components.pool
    this.ledger = components.ledger
    this.checker = components.checker
    this.stats = components.stats
    this.violations = components.violations
    this.rng = components.rng
    this.now = components.now ?? Date.now
    this.runId = init.runId
    this.origin = init.origin
  }

  get isStopping(): boolean {
    return this.stopping
  }

  stop(): void {
    this.stopping = true
  }

  /** Writes `payload` (plus `padBytes` of filler) under `key` through `node`, TTL in seconds. */
  async put(pattern: string, node: SimNode, key: string, payload: string, ttlSeconds: number, padBytes = 0): Promise<WriteResult> {
    const id = this.ledger.reserveId()
    const value = makeValue(this.runId, id, payload, padBytes, this.rng)
    const started = this.now()
    const entry = this.ledger.record({
      id,
      key,
      node: node.name,
      pattern,
      ttlMs: ttlSeconds * 1000,
      digest: digest(value),
      size: value.byteLength,
      issuedAt: started,
    })
    const answer = await node.client.put(key, value, ttlSeconds)
    const ended = this.now()
    this.ledger.finish(entry, answer, ended)
    this.writeStatuses[answer.status] = (this.writeStatuses[answer.status] ?? 0) + 1
    this.stats.record('put', pattern, ended - started, answer.status === 201 || answer.status === 202, ended - this.origin)
    return { ...answer, entry }
  }

  /** Reads `key` through `node`; the answer is judged when the node stayed live throughout. */
  async get(pattern: string, node: SimNode, key: string): Promise<ReadResult> {
    const started = this.now()
    const answer = await node.client.get(key)
    const ended = this.now()
    this.stats.record('get', pattern, ended - started, answer.status === 200 || answer.status === 404, ended - this.origin)
    const verdict = this.pool.liveThroughout(node.name, started, ended)
      ? this.checker.checkRead({ key, node: node.name, startedAt: started, endedAt: ended, answer })
      : 'unjudged'
    this.readVerdicts[verdict]++
    return { answer, verdict }
  }

  async list(pattern: string, node: SimNode, prefix: string): Promise<ListAnswer> {
    const started = this.now()
    const answer = await node.client.list(prefix)
    const ended = this.now()
    this.stats.record('list', pattern, ended - started, answer.status === 200, ended - this.origin)
    return answer
  }

  /** A random live node other than `avoid` when possible; undefined when none is live. */
  pick(avoid?: string): SimNode | undefined {
    return this.pool.pick(this.rng, avoid)
  }

  /** `preferred` while it is live, else a random live node (an agent reconnecting elsewhere). */
  home(preferred: string | undefined): SimNode | undefined {
    const n = preferred === undefined ? undefined : this.pool.get(preferred)
    return n && n.downAt === undefined ? n : this.pick()
  }
}

/** One workload pattern: `step` does one unit of its work (one or two calls). */
export interface Pattern {
  readonly name: string
  start?(): void
  step(): Promise<void>
  /** Stops timers and waits for any checks still owed (bounded). */
  stop?(): Promise<void>
}
