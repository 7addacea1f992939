/**
 * The mesh figures of issue 3, on real `repram node` processes started by createTestnet (src/testnet.ts):
 * - 3 processes, R = 3: PUT of unique keys through one gateway (only 201s count); GET through a node
 *   that is itself a replica (for reference); write-to-readable-everywhere latency.
 * - 4 processes, R = 3 (so every key has exactly one non-replica): GET through a node that holds none
 *   of the keys read. Which keys a node does not hold is observed, not computed: keys are written one
 *   at a time and the node whose /v1/status key count does not grow is the non-replica.
 * Skips with a reason when the testnet cannot be loaded or the mesh does not form.
 */
import { mkdirSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { createTestnet, Testnet } from '../../src/testnet.js'
import type { BenchOptions } from './args.js'
import { BARE_GET, BARE_PUT, type Ceiling, compare, VALUE_1KIB } from './ceiling.js'
import { procCpuSeconds } from './child.js'
import { httpGet, httpJson, httpPut, percentile } from './http.js'
import { runLoad } from './load.js'
import { summarizeProfile } from './profile-summary.js'
import type { LatencyFigure, LoadFigure, Skipped } from './types.js'

type Mesh = Testnet
type CreateTestnet = typeof createTestnet

/** A mesh that has not formed by then on this machine will not. */
const MESH_FORM_TIMEOUT_MS = 60_000
/** Targets from issue 3. */
const TARGET_MESH_PUT = 0.2
const TARGET_NON_REPLICA_GET = 0.15
const TARGET_VISIBILITY_P99_MS = 20
/** Keys read by the GET scenarios (cycled by all connections). */
const READ_KEYS = 100
/** Writes to find READ_KEYS keys a given node does not hold (expected: a quarter of them on 4 nodes). */
const MAX_PLACEMENT_WRITES = 1_500
/** How long the last replica of a key may take to show in /v1/status after the 201. */
const PLACEMENT_SETTLE_MS = 5_000
/** How long a write may take to become readable everywhere before it counts as failed. */
const VISIBILITY_DEADLINE_MS = 5_000

export interface MeshResult {
  load: LoadFigure[]
  latency: LatencyFigure[]
  skipped: Skipped[]
  /** --cpu-prof: summaries of the 3-process mesh nodes' profiles. */
  profiles: string[]
}

async function loadTestnet(): Promise<CreateTestnet | string> {
  // Loaded on demand: the other sections never pay for libp2p.
  try {
    return (await import('../../src/testnet.js')).createTestnet
  } catch (err) {
    return `src/testnet.ts could not be loaded (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`
  }
}

async function startMesh(create: CreateTestnet, n: number, replication: number, profDir?: string): Promise<Mesh> {
  // The nodes inherit the environment (except REPRAM_*): a preloaded module profiles each until it exits.
  const saved = process.env.NODE_OPTIONS
  if (profDir) {
    mkdirSync(profDir, { recursive: true })
    process.env.BENCH_CPU_PROF_DIR = profDir
    process.env.NODE_OPTIONS = `${saved ?? ''} --import=${new URL('./profile-on-exit.js', import.meta.url).href}`.trim()
  }
  let mesh: Mesh
  try {
    mesh = await create(n, { processes: true, replication, logLevel: 'warn' })
  } finally {
    if (profDir) {
      delete process.env.BENCH_CPU_PROF_DIR
      if (saved === undefined) delete process.env.NODE_OPTIONS
      else process.env.NODE_OPTIONS = saved
    }
  }
  try {
    await mesh.waitForMesh({ timeoutMs: MESH_FORM_TIMEOUT_MS })
  } catch (err) {
    await mesh.stop().catch(() => {})
    throw new Error(`the ${n}-process mesh did not form: ${err instanceof Error ? err.message : String(err)}`)
  }
  return mesh
}

function meshCpu(mesh: Mesh): () => number | undefined {
  return () => {
    let sum = 0
    for (const n of mesh.nodes) {
      const s = n.pid === undefined ? undefined : procCpuSeconds(n.pid)
      if (s === undefined) return undefined
      sum += s
    }
    return sum
  }
}

function value(tag: string): Buffer {
  const v = Buffer.from(VALUE_1KIB)
  v.write(tag, 0, 'latin1')
  return v
}

/** PUT on `writer`, then GET on every reader until each sees this write; ms from the PUT to the last reader. */
async function timeVisibility(writer: string, readers: string[], key: string, v: Buffer, bare = false): Promise<number> {
  const t0 = performance.now()
  const put = await httpPut(writer, key, v)
  if (put.status !== 201) throw new Error(`PUT answered ${put.status}`)
  await Promise.all(
    readers.map(async (r) => {
      while (performance.now() - t0 < VISIBILITY_DEADLINE_MS) {
        const got = await httpGet(r, key)
        if (got.status === 200 && (bare || (put.etag ? got.etag === put.etag : got.body.equals(v)))) return
      }
      throw new Error(`not readable on ${r} within ${VISIBILITY_DEADLINE_MS} ms`)
    }),
  )
  return performance.now() - t0
}

async function threeNodes(create: CreateTestnet, opts: BenchOptions, ceiling: Ceiling, out: MeshResult, log: (l: string) => void): Promise<void> {
  log('  starting a 3-process mesh, R = 3 …')
  const profDir = opts.cpuProf ? resolve(opts.cpuProf, `mesh3-${Date.now()}`) : undefined
  const mesh = await startMesh(create, 3, 3, profDir)
  try {
    const [a, b, c] = mesh.nodes
    const common = {
      group: 'mesh' as const,
      connections: opts.connections,
      durationS: opts.durationS,
      warmupS: opts.warmupS,
      workers: opts.workers,
      serverCpuSeconds: meshCpu(mesh),
    }
    log('  mesh PUT (3 nodes, R = 3) …')
    const putBase = await ceiling.measure(BARE_PUT)
    const put = await runLoad({
      ...common,
      scenario: 'mesh PUT (3 nodes, R=3)',
      url: a.url,
      requests: [{ method: 'PUT', path: '/v1/data/mp/[<id>]', body: VALUE_1KIB }],
      uniqueIds: true,
      countStatus: 201,
    })
    out.load.push(compare(put, putBase, TARGET_MESH_PUT))

    log('  mesh GET through a replica (3 nodes, R = 3) …')
    const keys: string[] = []
    for (let i = 0; i < READ_KEYS; i++) {
      const key = `mg/${i}`
      const r = await httpPut(a.url, key, value(key))
      if (r.status !== 201) throw new Error(`preload PUT ${key} answered ${r.status}`)
      keys.push(key)
    }
    const getBase = await ceiling.measure(BARE_GET)
    const get = await runLoad({
      ...common,
      scenario: 'mesh GET via a replica (3 nodes)',
      url: b.url,
      requests: keys.map((k) => ({ method: 'GET', path: `/v1/data/${k}` })),
    })
    get.note = 'for reference (no target): every node holds every key with R = 3 on 3 nodes'
    out.load.push(compare(get, getBase))

    log(`  write-to-readable-everywhere (${opts.visibilityWrites} writes) …`)
    out.latency.push(
      await visibility('write-to-readable-everywhere (3 nodes)', opts.visibilityWrites, (key, v) => timeVisibility(a.url, [b.url, c.url], key, v), {
        targetP99Ms: TARGET_VISIBILITY_P99_MS,
        note: `PUT on ${a.name}, then GET on the other two until each answers with the new ETag; one write at a time`,
      }),
    )
    // The same procedure against the bare server (its PUT then two GETs), for scale: HTTP and the bench's own cost.
    const bare = await ceiling.url()
    out.latency.push(
      await visibility('bare PUT then 2 GETs (reference)', opts.visibilityWrites, (key, v) => timeVisibility(bare, [bare, bare], key, v, true), {
        note: 'the bare server answers GET with a fixed value, so this is one PUT and one GET round per reader',
      }),
    )
  } finally {
    await mesh.stop()
  }
  if (profDir) {
    for (const f of readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'))) {
      out.profiles.push(`3-process mesh node, whole life (start, PUT load, GET load, visibility writes):\n${summarizeProfile(join(profDir, f))}`)
    }
  }
}

async function visibility(
  scenario: string,
  writes: number,
  once: (key: string, v: Buffer) => Promise<number>,
  extra: Pick<LatencyFigure, 'targetP99Ms' | 'note'>,
): Promise<LatencyFigure> {
  const samples: number[] = []
  let failures = 0
  let firstError = ''
  for (let i = 0; i < writes; i++) {
    const key = `mv/${i}`
    try {
      samples.push(await once(key, value(`${key}/${Date.now()}`)))
    } catch (err) {
      failures++
      firstError ||= err instanceof Error ? err.message : String(err)
    }
  }
  samples.sort((x, y) => x - y)
  return {
    scenario,
    samples: samples.length,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    maxMs: samples.at(-1) ?? Number.NaN,
    failures,
    ...extra,
    note: `${extra.note ?? ''}${firstError ? `; first failure: ${firstError}` : ''}`,
  }
}

async function keyCounts(mesh: Mesh): Promise<number[]> {
  return await Promise.all(mesh.nodes.map(async (n) => (await httpJson<{ keys: number }>(`${n.url}/v1/status`)).keys))
}

async function fourNodes(create: CreateTestnet, opts: BenchOptions, ceiling: Ceiling, out: MeshResult, log: (l: string) => void): Promise<void> {
  log('  starting a 4-process mesh, R = 3 …')
  const mesh = await startMesh(create, 4, 3)
  try {
    const writer = mesh.nodes[0]
    const reader = mesh.nodes[3]
    log(`  finding keys ${reader.name} does not hold …`)
    const elsewhere: string[] = []
    let counts = await keyCounts(mesh)
    for (let i = 0; i < MAX_PLACEMENT_WRITES && elsewhere.length < READ_KEYS; i++) {
      const key = `mn/${i}`
      const r = await httpPut(writer.url, key, value(key))
      if (r.status !== 201) throw new Error(`preload PUT ${key} answered ${r.status}`)
      const before = counts
      const deadline = performance.now() + PLACEMENT_SETTLE_MS
      for (;;) {
        counts = await keyCounts(mesh)
        const added = counts.reduce((s, c, j) => s + (c - before[j]), 0)
        if (added >= 3) break
        if (performance.now() > deadline) throw new Error(`key ${key}: only ${added} of 3 replicas showed in /v1/status`)
      }
      if (counts[3] === before[3]) elsewhere.push(key)
    }
    if (elsewhere.length === 0) throw new Error(`${reader.name} held every key written`)
    log(`  GET via a non-replica (${elsewhere.length} keys held only by the other 3) …`)
    const base = await ceiling.measure(BARE_PUT)
    const get = await runLoad({
      scenario: 'mesh GET via a non-replica (4 nodes, R=3)',
      group: 'mesh',
      url: reader.url,
      requests: elsewhere.map((k) => ({ method: 'GET', path: `/v1/data/${k}` })),
      connections: opts.connections,
      durationS: opts.durationS,
      warmupS: opts.warmupS,
      workers: opts.workers,
      serverCpuSeconds: meshCpu(mesh),
    })
    get.note = `${elsewhere.length} keys that ${reader.name} does not hold (observed through /v1/status key counts)`
    out.load.push(compare(get, base, TARGET_NON_REPLICA_GET))
  } finally {
    await mesh.stop()
  }
}

export async function runMesh(opts: BenchOptions, ceiling: Ceiling, log: (line: string) => void): Promise<MeshResult> {
  const out: MeshResult = { load: [], latency: [], skipped: [], profiles: [] }
  const create = await loadTestnet()
  if (typeof create === 'string') {
    out.skipped.push({ section: 'mesh', reason: create })
    return out
  }
  for (const [name, fn] of [
    ['mesh (3 processes, R = 3)', threeNodes],
    ['mesh (4 processes, R = 3)', fourNodes],
  ] as const) {
    try {
      await fn(create, opts, ceiling, out, log)
    } catch (err) {
      out.skipped.push({ section: name, reason: err instanceof Error ? err.message : String(err) })
    }
  }
  return out
}
