/**
 * Child side of the expiry-lag measurement: a started store on the real clock holds `entries` live keys
 * whose expiries are spread over `spreadMs`, starting once all are inserted. For every key, the lag is
 * the time between its expiresAt and its 'expired' event (its memory reclaimed), in ms. Also records
 * the event-loop delay during the expiry window, to show the sweep yields while it works.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { systemClock } from '../../src/node/clock.js'
import { MemoryStore } from '../../src/store/memory-store.js'

export interface LagResult {
  entries: number
  spreadMs: number
  insertSeconds: number
  firstExpiryAfterInsertMs: number
  lagMs: { p50: number; p99: number; p999: number; max: number }
  eventLoopDelayMs: { p50: number; p99: number; max: number }
  remainingKeys: number
}

/** Slack between the end of insertion and the first expiry, so the measured window starts with all keys live. */
const START_SLACK_MS = 2_000
/** Keys inserted per event-loop turn while loading (so the sweeper timer keeps its schedule). */
const LOAD_BATCH = 20_000

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

const wallNow = () => performance.timeOrigin + performance.now()

export async function measureLag(entries: number, spreadMs: number, loadBudgetMs: number): Promise<LagResult> {
  const store = new MemoryStore({ clock: systemClock })
  const lags = new Float64Array(entries)
  let expired = 0
  store.on('expired', (meta) => {
    if (expired < entries) lags[expired] = wallNow() - meta.expiresAt
    expired++
  })
  store.start()
  const value = Buffer.alloc(100, 0x62)
  const t0 = Date.now()
  const base = t0 + loadBudgetMs
  for (let i = 0; i < entries; i += LOAD_BATCH) {
    const end = Math.min(entries, i + LOAD_BATCH)
    for (let j = i; j < end; j++) {
      // A scrambled spread: consecutive keys do not expire together.
      const offset = ((j * 2_654_435_761) % 1_000_003) % spreadMs
      const outcome = store.put({
        key: `lag:${String(j).padStart(7, '0')}`,
        version: { hlc: j + 1, node: 1 },
        createdAt: t0,
        ttlSeconds: 60,
        expiresAt: base + offset,
        size: value.byteLength,
        value,
      })
      if (outcome !== 'stored') throw new Error(`put ${j}: ${outcome}`)
    }
    await new Promise((r) => setImmediate(r))
  }
  const insertSeconds = (Date.now() - t0) / 1000
  const firstExpiryAfterInsertMs = base - Date.now()
  if (firstExpiryAfterInsertMs < START_SLACK_MS / 4) throw new Error(`insertion took ${insertSeconds}s: raise the load budget`)
  await new Promise((r) => setTimeout(r, Math.max(0, base - Date.now() - 50)))
  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()
  const deadline = base + spreadMs + 30_000
  while (expired < entries && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  loop.disable()
  store.stop()
  const sorted = lags.slice(0, Math.min(expired, entries)).sort()
  return {
    entries,
    spreadMs,
    insertSeconds,
    firstExpiryAfterInsertMs,
    lagMs: {
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      p999: percentile(sorted, 0.999),
      max: sorted[sorted.length - 1],
    },
    eventLoopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
    remainingKeys: store.size,
  }
}

export { START_SLACK_MS }
