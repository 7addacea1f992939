/**
 * Store measurements (not a test): per-entry memory overhead for 100k × 1 KiB and 1M × 100 B, and the
 * lag between expiry and reclaim with 1,000,000 live keys. Each measurement runs in a fresh child
 * process (`node --expose-gc`), so one cannot disturb the next.
 *
 *   npx tsc -p . && node dist/scripts/store-memory.js [overhead|lag|lag-node]

 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type LagResult, measureLag } from './store/lag.js'
import { measureOverhead, type OverheadResult } from './store/overhead.js'

const SELF = fileURLToPath(import.meta.url)
/** Target from issue 2: overhead per entry beyond key and value bytes. */
const TARGET_OVERHEAD_BYTES = 250
/** Target from issue 2: memory reclaimed within this long after expiry at p99. */
const TARGET_LAG_P99_MS = 1_000
/**
 * Lag scenarios: 1M live keys; a tenth of them expiring over 5 s (20k/s), then all of them (200k/s), the
 * latter also with the listeners a mesh node adds (version floor, expirations counter).
 */
const LAG_CASES = [
  { entries: 1_000_000, expiring: 100_000, spreadMs: 5_000, node: false },
  { entries: 1_000_000, expiring: 1_000_000, spreadMs: 5_000, node: false },
  { entries: 1_000_000, expiring: 1_000_000, spreadMs: 5_000, node: true },
]

function child<T>(args: string[]): T {
  const out = execFileSync(process.execPath, ['--expose-gc', SELF, 'child', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  })
  return JSON.parse(out.trim().split('\n').at(-1) as string) as T
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'child') {
    const [kind, a, b, c, d] = argv.slice(1)
    const result = kind === 'overhead' ? measureOverhead(Number(a), Number(b)) : await measureLag(Number(a), Number(b), Number(c), d === 'node')
    process.stdout.write(`${JSON.stringify(result)}\n`)
    return
  }
  const what = argv[0] ?? 'all'
  if (what === 'all' || what === 'overhead') {
    for (const [n, size] of [
      [100_000, 1024],
      [1_000_000, 100],
    ]) {
      const r = child<OverheadResult>(['overhead', String(n), String(size)])
      const mib = (b: number) => `${fmt(b / 2 ** 20, 1)} MiB`
      console.log(
        `overhead ${fmt(n)} × ${size} B (target ≤ ${TARGET_OVERHEAD_BYTES} B/entry): ` +
          `RSS Δ ${mib(r.rssDelta)} → ${fmt(r.rssOverheadPerEntry)} B/entry, ${fmt(r.rssOverheadExNewSpacePerEntry)} B/entry without V8's one-off new-space growth (${mib(r.newSpaceDelta)}); ` +
          `heap+external Δ ${mib(r.heapExternalDelta)} → ${fmt(r.heapExternalOverheadPerEntry)} B/entry ` +
          `(keys ${fmt(r.keyBytes / r.entries, 1)} B avg; arena ${mib(r.arenaBytes)}; insert ${fmt(r.insertSeconds, 2)} s)`,
      )
    }
  }
  if (what === 'all' || what === 'lag' || what === 'lag-node') {
    for (const c of LAG_CASES.filter((l) => what !== 'lag-node' || l.node)) {
      const r = child<LagResult>(['lag', String(c.entries), String(c.expiring), String(c.spreadMs), c.node ? 'node' : 'store'])
      console.log(
        `expiry lag, ${fmt(r.entries)} live keys, ${fmt(r.expiring)} expiring over ${r.spreadMs / 1000} s${r.nodeListeners ? ", with a node's listeners (version floor, counter)" : ''}: ` +
          `p50 ${fmt(r.lagMs.p50, 1)} ms, p99 ${fmt(r.lagMs.p99, 1)} ms, p99.9 ${fmt(r.lagMs.p999, 1)} ms, max ${fmt(r.lagMs.max, 1)} ms ` +
          `(target p99 ≤ ${TARGET_LAG_P99_MS} ms); event-loop delay meanwhile p50 ${fmt(r.eventLoopDelayMs.p50, 1)} / ` +
          `p99 ${fmt(r.eventLoopDelayMs.p99, 1)} / max ${fmt(r.eventLoopDelayMs.max, 1)} ms; reclaimed ${fmt(r.expired)}, the last ${fmt(r.drainSeconds, 1)} s after the window opened, using ${fmt(r.drainCpuSeconds, 1)} s of CPU ` +
          `(${fmt((r.drainCpuSeconds * 1e6) / r.expiring, 1)} µs per expiry, incl. the 'expired' event); load ${fmt(r.loadSeconds, 1)} s`,
      )
    }
  }
}

await main(process.argv.slice(2))
