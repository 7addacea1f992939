/**
 * The churn driver: runs the schedule (from `--churn` or a scenario file) against the testnet at its
 * times: `kill` (abrupt), `stop` (graceful), `start` (a fresh node joining). The node leaves the pool
 * before it is removed, so reads in flight to it are not judged; a started node joins the pool once
 * `add` resolved. Each event is timed and handed to the replication tracker.
 */
import type { SimClient } from './client.js'
import type { NodePool } from './pool.js'
import type { Rng } from './prng.js'
import type { ReplicationTracker } from './replication-tracker.js'
import type { ChurnEvent } from './scenario.js'
import type { Testnet, TestnetNode } from './testnet-types.js'

export interface ChurnRecord {
  index: number
  /** ms since the workload start, scheduled and actual. */
  plannedMs: number
  atMs: number
  action: ChurnEvent['action']
  node?: string
  /** How long the kill/stop/start call took. */
  tookMs: number
  skipped?: string
  error?: string
}

export interface ChurnComponents {
  testnet: Testnet
  pool: NodePool
  rng: Rng
  tracker: ReplicationTracker
  makeClient: (node: TestnetNode) => SimClient
  now?: () => number
  log?: (line: string) => void
}

export class ChurnDriver {
  readonly records: ChurnRecord[] = []
  private readonly c: ChurnComponents
  private readonly now: () => number
  private readonly events: ChurnEvent[]
  private readonly origin: number
  private readonly timers: NodeJS.Timeout[] = []
  private readonly wakers: (() => void)[] = []
  private chain: Promise<void> = Promise.resolve()
  private stopped = false

  constructor(components: ChurnComponents, init: { events: ChurnEvent[]; origin: number }) {
    this.c = components
    this.now = components.now ?? Date.now
    this.events = init.events
    this.origin = init.origin
  }

  /** Runs the events one after another in schedule order, each at its time (or as soon as the previous one ends). */
  start(): void {
    this.chain = (async () => {
      for (const [i, e] of this.events.entries()) {
        const delay = this.origin + e.at * 1000 - this.now()
        if (delay > 0) {
          await new Promise<void>((resolve) => {
            this.timers.push(setTimeout(resolve, delay))
            this.wakers.push(resolve)
          })
        }
        if (this.stopped) return
        await this.run(e, i)
      }
    })()
  }

  /** Cancels events not yet begun and waits for the one running. */
  async stop(): Promise<void> {
    this.stopped = true
    for (const t of this.timers) clearTimeout(t)
    for (const w of this.wakers) w()
    await this.chain
  }

  private choose(e: ChurnEvent): TestnetNode | undefined {
    const live = this.c.pool.live()
    if (typeof e.node === 'number') return live[e.node]?.handle
    if (typeof e.node === 'string') return live.find((n) => n.name === e.node)?.handle
    return live.length > 0 ? this.c.rng.pick(live).handle : undefined
  }

  private async run(e: ChurnEvent, index: number): Promise<void> {
    const start = this.now()
    const rec: ChurnRecord = { index, plannedMs: e.at * 1000, atMs: start - this.origin, action: e.action, tookMs: 0 }
    this.records.push(rec)
    try {
      if (e.action === 'start') {
        const handle = await this.c.testnet.add()
        this.c.pool.add(handle, this.c.makeClient(handle), this.now())
        rec.node = handle.name
      } else {
        const target = this.choose(e)
        if (!target) rec.skipped = `no live node matches ${JSON.stringify(e.node)}`
        else if (this.c.pool.live().length <= 1) rec.skipped = 'the last live node is never removed'
        else {
          rec.node = target.name
          this.c.pool.markDown(target.name, start)
          await this.c.testnet.remove(target, e.action)
        }
      }
    } catch (err) {
      rec.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
    }
    rec.tookMs = this.now() - start
    if (!rec.skipped && !rec.error) this.c.tracker.track(index, rec.atMs)
    this.c.log?.(
      `churn #${index} ${e.action}${rec.node ? ` ${rec.node}` : ''} at ${(rec.atMs / 1000).toFixed(1)}s took ${rec.tookMs} ms${rec.skipped ? ` (skipped: ${rec.skipped})` : ''}${rec.error ? ` (error: ${rec.error})` : ''}`,
    )
  }
}
