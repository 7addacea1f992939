/**
 * Child side of the expiry-lag measurement: a started store on the real clock holds `entries` live keys;
 * `expiring` of them get expiries spread over `spreadMs` (the rest expire an hour later, so they stay
 * live throughout). For every expiring key, the lag is the time between its expiresAt and its 'expired'
 * event (its memory reclaimed), in ms. Also records the event-loop delay during the expiry window.
 *
 * With `nodeListeners`, the store also has the listeners a mesh node puts on 'expired': its version floor
 * (which remembers every record that leaves) and its expirations counter, so the cost per expiry is the node's.
 *
 * Loading is adaptive, so the window starts right after loading however slow the machine is: all keys
 * are first put with the far expiry, then the expiring ones are overwritten (newer version, which also
 * exercises rescheduling) with expiries from `base`, chosen from the measured put rate.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createNodeMetrics } from '../../src/node/metrics.js'
import { VersionFloor } from '../../src/replication/version-floor.js'
import { systemClock } from '../../src/shared/clock.js'
import { MemoryStore } from '../../src/store/memory-store.js'

export interface LagResult {
  nodeListeners: boolean
  entries: number
  expiring: number
  spreadMs: number
  loadSeconds: number
  lagMs: { p50: number; p99: number; p999: number; max: number }
  eventLoopDelayMs: { p50: number; p99: number; max: number }
  expired: number
  /** From the window's start until the last expiry was reclaimed: wall time, and CPU time this process got. */
  drainSeconds: number
  drainCpuSeconds: number
}

/** Keys put per event-loop turn while loading (so the sweeper timer keeps its schedule). */
const LOAD_BATCH = 20_000
/** Expiries of the non-expiring keys: far beyond the window. */
const FAR_MS = 3_600_000
/** How long after the window to wait for stragglers before giving up. */
const STRAGGLER_WAIT_MS = 60_000
/** The version floor's protection: a node's maximum TTL (its default, 24 h), so nothing lapses during a run. */
const FLOOR_MAX_TTL_MS = 86_400_000

const wallNow = () => performance.timeOrigin + performance.now()
const turn = () => new Promise((r) => setImmediate(r))

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

export async function measureLag(entries: number, expiring: number, spreadMs: number, nodeListeners = false): Promise<LagResult> {
  const store = new MemoryStore({ clock: systemClock })
  const floor = nodeListeners ? new VersionFloor({ store, clock: systemClock }, { maxTtlMs: FLOOR_MAX_TTL_MS }) : undefined
  floor?.start()
  if (nodeListeners) createNodeMetrics(store, { defaultMetrics: false })
  const lags = new Float64Array(expiring)
  let expired = 0
  store.on('expired', (meta) => {
    if (expired < expiring) lags[expired] = wallNow() - meta.expiresAt
    expired++
  })
  store.start()
  const value = Buffer.alloc(100, 0x62)
  const key = (j: number) => `lag:${String(j).padStart(7, '0')}`
  const put = (j: number, hlc: number, expiresAt: number) => {
    const outcome = store.put({ key: key(j), version: { hlc, node: 1 }, createdAt: Date.now(), ttlSeconds: 60, expiresAt, size: 100, value })
    if (outcome !== 'stored') throw new Error(`put ${j}: ${outcome}`)
  }
  const t0 = Date.now()
  for (let i = 0; i < entries; i += LOAD_BATCH) {
    for (let j = i; j < Math.min(entries, i + LOAD_BATCH); j++) put(j, 1, t0 + FAR_MS)
    await turn()
  }
  // Phase 2 costs about expiring/entries of phase 1; leave twice that plus a second before the window.
  const phase1Ms = Date.now() - t0
  const base = Date.now() + 2 * phase1Ms * (expiring / entries) + 1_000
  // Every (entries/expiring)-th key expires, at a scrambled offset: neighbours do not expire together.
  const step = entries / expiring
  for (let i = 0; i < expiring; i += LOAD_BATCH) {
    for (let k = i; k < Math.min(expiring, i + LOAD_BATCH); k++) put(Math.floor(k * step), 2, base + (((k * 2_654_435_761) % 1_000_003) % spreadMs))
    await turn()
  }
  const loadSeconds = (Date.now() - t0) / 1000
  if (Date.now() >= base) throw new Error('loading overran the start of the expiry window')
  await new Promise((r) => setTimeout(r, Math.max(0, base - Date.now() - 20)))
  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()
  const cpu0 = process.cpuUsage()
  let lastAt = 0
  let cpuAtLast = cpu0
  store.on('expired', () => {
    if (expired === expiring) {
      lastAt = Date.now()
      cpuAtLast = process.cpuUsage(cpu0)
    }
  })
  const deadline = base + spreadMs + STRAGGLER_WAIT_MS
  while (expired < expiring && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  loop.disable()
  store.stop()
  floor?.stop()
  const sorted = lags.slice(0, Math.min(expired, expiring)).sort()
  return {
    nodeListeners,
    entries,
    expiring,
    spreadMs,
    loadSeconds,
    lagMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), p999: percentile(sorted, 0.999), max: sorted[sorted.length - 1] },
    eventLoopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
    expired,
    drainSeconds: lastAt > 0 ? (lastAt - base) / 1000 : Number.NaN,
    drainCpuSeconds: (cpuAtLast.user + cpuAtLast.system) / 1e6,
  }
}
