/**
 * The ceilings: a bare node:http server (bare-server.ts) in its own process, measured exactly as the
 * gateway is — same generator, connections, value size, duration. It is measured again right before
 * each scenario compared with it, so a ratio's two halves see the same load from the other tenants of a
 * shared machine. The GET/HEAD server stays up for the whole bench; each PUT measurement gets a new one.
 */
import { fileURLToPath } from 'node:url'
import type { BenchOptions } from './args.js'
import { type BenchChild, startChild } from './child.js'
import { type LoadRequest, runLoad } from './load.js'
import type { LoadFigure } from './types.js'

export const VALUE_1KIB = Buffer.alloc(1024, 'v')
export const BARE_GET = 'bare GET'
export const BARE_PUT = 'bare PUT'
/** Not the denominator of any target (HEAD is compared with bare GET, as asked); shown for reference. */
export const BARE_HEAD = 'bare HEAD'
export type CeilingName = typeof BARE_GET | typeof BARE_PUT | typeof BARE_HEAD

const REQUESTS: Record<CeilingName, { requests: LoadRequest[]; uniqueIds?: boolean }> = {
  [BARE_GET]: { requests: [{ method: 'GET', path: '/v1/data/bench/get' }] },
  [BARE_HEAD]: { requests: [{ method: 'HEAD', path: '/v1/data/bench/get' }] },
  [BARE_PUT]: { requests: [{ method: 'PUT', path: '/v1/data/bench/put/[<id>]', body: VALUE_1KIB }], uniqueIds: true },
}

export class Ceiling {
  /** Every measurement, in order; the report shows each ceiling's median. */
  readonly samples: LoadFigure[] = []
  private child: BenchChild | undefined

  constructor(private readonly opts: BenchOptions) {}

  async start(): Promise<void> {
    this.child ??= await startChild(fileURLToPath(new URL('./bare-server.js', import.meta.url)))
  }

  /** The bare server's base URL (started on first use). */
  async url(): Promise<string> {
    await this.start()
    return (this.child as BenchChild).url
  }

  async measure(name: CeilingName): Promise<LoadFigure> {
    // PUT: a fresh bare server each time, as each gateway PUT round gets a fresh child. Both then grow
    // their memory from a new process: a server that already freed memory reuses it without page faults,
    // which are expensive on this VM (see README, How it measures).
    const fresh = name === BARE_PUT ? await startChild(fileURLToPath(new URL('./bare-server.js', import.meta.url))) : undefined
    try {
      return await this.run(name, fresh ?? (await this.persistent()))
    } finally {
      await fresh?.stop()
    }
  }

  private async persistent(): Promise<BenchChild> {
    await this.start()
    return this.child as BenchChild
  }

  private async run(name: CeilingName, child: BenchChild): Promise<LoadFigure> {
    const f = await runLoad({
      scenario: name,
      group: 'ceiling',
      url: child.url,
      ...REQUESTS[name],
      connections: this.opts.connections,
      durationS: this.opts.durationS,
      warmupS: this.opts.warmupS,
      workers: this.opts.workers,
      serverCpuSeconds: () => child.cpuSeconds(),
    })
    this.samples.push(f)
    return f
  }

  /** The measurement of `name` with the median req/s, annotated with how many were taken and their spread. */
  summary(name: CeilingName): LoadFigure | undefined {
    const all = this.samples.filter((s) => s.scenario === name).sort((a, b) => a.reqPerSec - b.reqPerSec)
    if (all.length === 0) return undefined
    const median = { ...all[Math.floor((all.length - 1) / 2)] }
    if (all.length > 1) {
      median.note = `median of ${all.length} measurements (one before each scenario compared with it): ${all.map((s) => Math.round(s.reqPerSec)).join(', ')} req/s`
    }
    return median
  }

  async stop(): Promise<void> {
    await this.child?.stop()
    this.child = undefined
  }
}

/** Sets f's ratio to the ceiling measured right before it. */
export function compare(f: LoadFigure, base: LoadFigure, target?: number): LoadFigure {
  f.ceiling = base.scenario
  f.ceilingReqPerSec = base.reqPerSec
  f.ratio = base.reqPerSec > 0 ? f.reqPerSec / base.reqPerSec : 0
  if (target !== undefined) f.target = target
  if (base.serverCpuUsPerReq && f.serverCpuUsPerReq) f.cpuCostRatio = base.serverCpuUsPerReq / f.serverCpuUsPerReq
  return f
}
