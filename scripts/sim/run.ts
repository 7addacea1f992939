/**
 * One simulation run, start to end: start the testnet and wait for the mesh, then run the workload,
 * the churn driver, the sampler and the progress line together for the duration; stop issuing, drain
 * what is in flight and the checks still owed (heartbeat absence, re-replication deadlines), take the
 * final samples, stop the testnet, and build the report. The exit code is 1 when any invariant was
 * violated, 3 when the mesh could not be set up.
 */
import { ChurnDriver } from './churn.js'
import type { SimClient } from './client.js'
import { WorkloadContext } from './context.js'
import { RateDriver } from './driver.js'
import { FacadeClient } from './facade-client.js'
import { HttpClient } from './http-client.js'
import { InvariantChecker } from './invariants.js'
import { Ledger } from './ledger.js'
import type { SimOptions } from './options.js'
import { BroadcastPattern } from './patterns/broadcast.js'
import { DeadDropPattern } from './patterns/dead-drop.js'
import { DedupPattern } from './patterns/dedup.js'
import { HeartbeatPattern } from './patterns/heartbeat.js'
import { LockPattern } from './patterns/lock.js'
import { ScratchpadPattern } from './patterns/scratchpad.js'
import { StateMachinePattern } from './patterns/state-machine.js'
import { NodePool } from './pool.js'
import { createRng } from './prng.js'
import { Progress } from './progress.js'
import { ReplicationTracker } from './replication-tracker.js'
import { buildReport, type SimReport } from './report.js'
import { Sampler } from './sampler.js'
import type { ChurnEvent } from './scenario.js'
import { OpStats } from './stats.js'
import type { CreateTestnet, Testnet, TestnetNode } from './testnet-types.js'
import { ViolationLog } from './violations.js'
import { WireMeter } from './wire.js'

/** Startup allowance for waitForMesh: a base plus a per-node share (50 all-to-all nodes on 2 shared cores took over 130 s). */
export const MESH_TIMEOUT_BASE_MS = 60_000
export const MESH_TIMEOUT_PER_NODE_MS = 3_000
/** TTL floor the simulated nodes accept: heartbeats and locks live a few seconds (the default is 300 s). */
export const SIM_MIN_TTL_S = 1
/** Ledger pruning period. */
export const PRUNE_EVERY_MS = 10_000

export interface RunComponents {
  createTestnet: CreateTestnet
  log: (line: string) => void
  /** Set by SIGINT: ends the workload early, still reporting. */
  abort?: AbortSignal
}

export function modeOf(o: SimOptions): string {
  return o.processes ? 'processes, HTTP gateways' : o.http ? 'in-process, HTTP gateways' : 'in-process, facades'
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(t)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const t = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

export async function runSimulation(o: SimOptions, events: ChurnEvent[], c: RunComponents): Promise<SimReport> {
  const startedAt = Date.now()
  const rng = createRng(o.seed)
  const runId = `sim-${rng.fork('run-id').hex(4)}`
  const progressLog = c.log
  progressLog(`starting ${o.nodes} nodes (${modeOf(o)}), R=${o.replication}, seed ${o.seed}, run id ${runId}`)
  const testnet: Testnet = await c.createTestnet(o.nodes, {
    replication: o.replication,
    processes: o.processes,
    logLevel: 'error',
    config: { minTtlSeconds: SIM_MIN_TTL_S, rateLimitPerSecond: 0 },
  })
  const started = Date.now()
  let meshError: string | undefined
  try {
    await testnet.waitForMesh({ timeoutMs: MESH_TIMEOUT_BASE_MS + MESH_TIMEOUT_PER_NODE_MS * o.nodes })
  } catch (err) {
    meshError = `waitForMesh failed: ${err instanceof Error ? err.message : String(err)}`
    progressLog(meshError)
  }
  const meshMs = Date.now() - started
  progressLog(
    `mesh of ${testnet.nodes.length} nodes ready after ${((Date.now() - startedAt) / 1000).toFixed(1)} s; workload for ${o.durationS} s at ${o.ratePerS} ops/s`,
  )

  const makeClient = (n: TestnetNode): SimClient => (o.processes || o.http || !n.node ? new HttpClient({ url: n.url }) : new FacadeClient({ node: n.node }))
  const pool = new NodePool()
  for (const n of testnet.nodes) pool.add(n, makeClient(n), Date.now())
  const ledger = new Ledger()
  const violations = new ViolationLog()
  const stats = new OpStats({ rand: rng.fork('reservoir').next })
  const wire = new WireMeter()
  const origin = Date.now()
  const checker = new InvariantChecker({ ledger, violations, origin: () => origin }, { runId, expiryToleranceMs: o.expiryToleranceMs })
  const ctx = new WorkloadContext({ pool, ledger, checker, stats, violations, rng: rng.fork('workload') }, { runId, origin })
  const heartbeat = new HeartbeatPattern(ctx, { workers: o.nodes, durationMs: o.durationS * 1000, expiryToleranceMs: o.expiryToleranceMs })
  const deadDrop = new DeadDropPattern(ctx)
  const lock = new LockPattern(ctx)
  const state = new StateMachinePattern(ctx)
  const dedup = new DedupPattern(ctx)
  const patterns = [deadDrop, heartbeat, new ScratchpadPattern(ctx, { agents: o.nodes * 2 }), lock, state, dedup, new BroadcastPattern(ctx)]
  const driver = new RateDriver({ patterns, rng: rng.fork('mix') }, { ratePerS: o.ratePerS, concurrency: o.concurrency, weights: o.weights })
  const tracker = new ReplicationTracker({ violations })
  const sampler = new Sampler({ pool, ledger, wire, writes: () => stats.count('put') }, { replication: o.replication, origin, processes: o.processes })
  sampler.onSample((s) => tracker.onSample(s))
  const progress = new Progress({
    read: () => ({
      elapsedS: (Date.now() - origin) / 1000,
      durationS: o.durationS,
      ops: stats.ops,
      errors: stats.errors,
      violations: violations.total,
      live: pool.live().length,
      inFlight: driver.inFlight,
    }),
  })
  const churn = new ChurnDriver({ testnet, pool, rng: rng.fork('churn'), tracker, makeClient, log: (l) => progress.note(l) }, { events, origin })
  violations.onViolation((v) => {
    if (violations.total <= 10) progress.note(`violation: ${v.kind} key=${v.key ?? '—'} node=${v.node ?? '—'} ${JSON.stringify(v.detail)}`)
  })

  let workloadEndedAt = origin
  let finalSample: Awaited<ReturnType<Sampler['sample']>> | undefined
  const pruner = setInterval(() => ledger.prune(Date.now()), PRUNE_EVERY_MS)
  try {
    await sampler.sample(true)
    if (o.weights.heartbeat > 0) heartbeat.start()
    driver.start()
    churn.start()
    sampler.start()
    progress.start()
    await sleep(o.durationS * 1000, c.abort)
    workloadEndedAt = Date.now()
    ctx.stop()
    // Placement as the workload left it (before the drain lets keys expire); wire again after the drain.
    finalSample = await sampler.sample(true)
    await churn.stop()
    await driver.stop()
    await sampler.sample(true)
    progress.note(`workload stopped at ${((workloadEndedAt - origin) / 1000).toFixed(1)} s; draining heartbeat checks and re-replication timers`)
    await heartbeat.stop()
    // Events still being timed get their deadline, sampled as before (the workload is over).
    while (tracker.open > 0 && !c.abort?.aborted) {
      await sleep(1_000, c.abort)
      tracker.finish(Date.now() - origin)
    }
    await sampler.stop()
  } finally {
    clearInterval(pruner)
    progress.stop()
    await churn.stop()
    await driver.stop()
    await sampler.stop()
    await testnet.stop()
  }
  tracker.finish(Date.now() - origin)

  const total = violations.total
  const exitCode = meshError ? 3 : total > 0 ? 1 : 0
  return buildReport({
    options: o,
    runId,
    mode: modeOf(o),
    startedAt,
    workloadStartedAt: origin,
    workloadEndedAt,
    finishedAt: Date.now(),
    setup: { startupMs: started - startedAt, meshMs, meshError },
    ops: stats.summary(),
    buckets: stats.timeSeries(),
    driver: { issued: driver.issued, skipped: driver.skipped, crashed: driver.crashed, lastCrash: driver.lastCrash },
    violationCounts: violations.counts,
    violations: violations.kept,
    reads: ctx.readVerdicts,
    writes: ctx.writeStatuses,
    churn: churn.records,
    tracked: tracker.tracked,
    samples: sampler.samples,
    finalSample,
    wire: wire.total(),
    heartbeat: {
      workers: heartbeat.workerCount,
      stopped: heartbeat.stoppedWorkers,
      absenceChecks: heartbeat.absence.length,
      confirmedGone: heartbeat.absence.filter((a) => a.gone && a.listed !== true).length,
    },
    patterns: {
      lock: { taken: lock.taken, busy: lock.busy },
      dedup: { handled: dedup.handled, duplicates: dedup.duplicates },
      state: { completed: state.completed },
    },
    exitCode,
  })
}
