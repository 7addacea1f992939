/**
 * Client load from the harness process: `concurrency` closed-loop workers, each picking an operation
 * (PUT / GET / HEAD / LIST by weight), a key and a serving node, over keep-alive connections, paced
 * to at most `ratePerS` operations per second in total (2 cores are shared with the nodes). Every
 * operation lands in the history; the checker judges them afterwards.
 */
import type { Rng } from '../sim/prng.js'
import type { Cluster } from './cluster.js'
import type { FaultNode } from './fault-node.js'
import { delay } from './poll.js'

export interface LoadInit {
  keys: readonly string[]
  /** TTL of every write of a key (constant per key: an overwrite never shortens a key's life). */
  ttlS: (key: string) => number
  /** Prefix the LIST operations ask for. */
  prefix: string
  concurrency?: number
  ratePerS?: number
  mix?: { put: number; get: number; head: number; list: number }
  /** Which nodes the load may go to (default: every serving node). */
  nodes?: () => FaultNode[]
}

const DEFAULT_MIX = { put: 25, get: 60, head: 10, list: 5 }

export class Load {
  private readonly cluster: Cluster
  private readonly rng: Rng
  private readonly init: LoadInit
  private readonly abort = new AbortController()
  private workers: Promise<void>[] = []
  ops = 0
  /** The first failure of a worker (a bug in the harness): stop() rethrows it. */
  private error: Error | undefined

  constructor(components: { cluster: Cluster; rng: Rng }, init: LoadInit) {
    this.cluster = components.cluster
    this.rng = components.rng
    this.init = init
  }

  start(): this {
    const n = this.init.concurrency ?? 8
    const gapMs = this.init.ratePerS ? (1000 * n) / this.init.ratePerS : 0
    for (let i = 0; i < n; i++) {
      this.workers.push(
        this.worker(gapMs).catch((err) => {
          this.error ??= err instanceof Error ? err : new Error(String(err))
        }),
      )
    }
    return this
  }

  private async worker(gapMs: number): Promise<void> {
    const mix = this.init.mix ?? DEFAULT_MIX
    const signal = this.abort.signal
    while (!signal.aborted) {
      const t0 = performance.now()
      const nodes = (this.init.nodes ?? (() => this.cluster.serving()))()
      if (nodes.length === 0 || this.init.keys.length === 0) {
        await delay(50, signal)
        continue
      }
      const node = this.rng.pick(nodes)
      const c = this.cluster.client(node)
      const key = this.rng.pick(this.init.keys)
      const kind = this.rng.weighted(mix)
      if (kind === 'put') await c.put(key, this.init.ttlS(key))
      else if (kind === 'get') await c.get(key)
      else if (kind === 'head') await c.head(key)
      else await c.list(this.init.prefix)
      this.ops++
      const rest = gapMs - (performance.now() - t0)
      if (rest > 0) await delay(rest, signal)
    }
  }

  /** Stops issuing; resolves once every operation in flight has its answer (each has a deadline). */
  async stop(): Promise<void> {
    this.abort.abort()
    await Promise.all(this.workers)
    this.workers = []
    if (this.error) throw this.error
  }
}

/** Runs `fn` with load in the background; stops the load however `fn` ends. */
export async function withLoad<T>(load: Load, fn: () => Promise<T>): Promise<T> {
  load.start()
  try {
    return await fn()
  } finally {
    await load.stop()
  }
}
