/**
 * One load run: autocannon against a URL for a fixed duration, with a short warm-up first (so the
 * JIT and connection set-up are not in the figure), and the CPU each side used while it ran (a
 * generator pinned at 100% would mean we measured the generator, not the server).
 */
import autocannon from 'autocannon'
import { setupHeadClient } from './head-client.js'
import type { LoadFigure } from './types.js'

export interface LoadRequest {
  method: 'GET' | 'PUT' | 'HEAD'
  path: string
  body?: Buffer
}

export interface LoadSpec {
  scenario: string
  group: LoadFigure['group']
  url: string
  /** Requests cycled by every connection, in order. */
  requests: LoadRequest[]
  /** Replace `[<id>]` in the path with a unique id per request (unique keys). */
  uniqueIds?: boolean
  connections: number
  durationS: number
  warmupS: number
  /** Autocannon worker threads; 0 = run in this thread. */
  workers: number
  /** Only responses with this status count as done work (e.g. 201 for mesh PUTs); default any 2xx. */
  countStatus?: number
  /** CPU seconds of the server process(es) so far, sampled before and after the run. */
  serverCpuSeconds?: () => number | undefined
  /** Called after the warm-up, right before and after the measured run (e.g. to profile only that). */
  onMeasureStart?: () => Promise<unknown>
  onMeasureEnd?: () => Promise<unknown>
}

/** A request without an answer in this long is a timeout error, not a slow figure. */
const REQUEST_TIMEOUT_S = 10

function options(spec: LoadSpec, durationS: number): autocannon.Options {
  const head = spec.requests.some((r) => r.method === 'HEAD')
  // HEAD's parser fix is a function, which worker threads cannot receive: HEAD always runs in-thread.
  const workers = head ? 0 : spec.workers
  return {
    ...(head ? { setupClient: setupHeadClient as unknown as autocannon.Options['setupClient'] } : {}),
    url: spec.url,
    connections: spec.connections,
    duration: durationS,
    timeout: REQUEST_TIMEOUT_S,
    idReplacement: spec.uniqueIds === true,
    ...(workers > 0 ? { workers } : {}),
    requests: spec.requests.map((r) => ({
      method: r.method,
      path: r.path,
      // A string body: worker threads receive a Buffer as a plain Uint8Array, which autocannon rejects.
      ...(r.body ? { body: r.body.toString('latin1'), headers: { 'content-type': 'application/octet-stream' } } : {}),
    })),
  }
}

async function fire(opts: autocannon.Options): Promise<autocannon.Result> {
  return await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)))
  })
}

export async function runLoad(spec: LoadSpec): Promise<LoadFigure> {
  if (spec.warmupS > 0) await fire(options(spec, spec.warmupS))
  await spec.onMeasureStart?.()
  const server0 = spec.serverCpuSeconds?.()
  const gen0 = process.cpuUsage()
  const t0 = performance.now()
  const r = await fire(options(spec, spec.durationS))
  const elapsedS = (performance.now() - t0) / 1000
  const gen = process.cpuUsage(gen0)
  const server1 = spec.serverCpuSeconds?.()
  await spec.onMeasureEnd?.()
  const statusCounts: Record<string, number> = {}
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) statusCounts[code] = (s as { count: number }).count
  const counted = spec.countStatus !== undefined ? (statusCounts[String(spec.countStatus)] ?? 0) : r['2xx']
  const measuredS = r.duration > 0 ? r.duration : spec.durationS
  const figure: LoadFigure = {
    scenario: spec.scenario,
    group: spec.group,
    reqPerSec: counted / measuredS,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    counted,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCounts,
    durationS: measuredS,
    connections: spec.connections,
    generatorCpuPct: ((gen.user + gen.system) / 1e6 / elapsedS) * 100,
    valid: r.errors === 0 && r.timeouts === 0 && (spec.countStatus !== undefined ? counted === r.requests.total : r.non2xx === 0),
  }
  if (server0 !== undefined && server1 !== undefined) {
    figure.serverCpuPct = ((server1 - server0) / elapsedS) * 100
    if (counted > 0) figure.serverCpuUsPerReq = ((server1 - server0) / counted) * 1e6
  }
  return figure
}
