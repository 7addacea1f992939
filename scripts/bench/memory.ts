/**
 * RSS per stored entry through the facade: a fresh node in its own process (no gateway, no load),
 * gc, RSS; node.put n entries, a different value each (from one reused input buffer, which the node
 * copies; checked), one at a time; gc, RSS (at once: an idle node lets V8 shrink its new space, which
 * would take ~30 MiB off the second reading).
 * (RSS delta) / n is what an entry costs the process; minus key and value bytes, its overhead.
 * V8's new space (young generation) is grown by a churn before the baseline; its size at both ends is
 * logged, so a one-off growth inside the delta would show.
 */
import { fileURLToPath } from 'node:url'
import type { BenchOptions } from './args.js'
import { startChild } from './child.js'
import type { MemoryFigure } from './types.js'

/** Overhead per entry beyond key and value bytes, from issue 2. */
export const TARGET_OVERHEAD_BYTES = 250

interface MemorySnapshot {
  rss: number
  newSpace: number
  heapUsed: number
  external: number
  arrayBuffers: number
  gc: boolean
}

const CASES = [
  { entries: 100_000, valueBytes: 1024, label: '100k × 1 KiB' },
  { entries: 1_000_000, valueBytes: 100, label: '1M × 100 B' },
]

async function measure(entries: number, valueBytes: number, scenario: string, log: (line: string) => void): Promise<MemoryFigure> {
  const child = await startChild(fileURLToPath(new URL('./node-server.js', import.meta.url)), { execArgv: ['--expose-gc'] })
  try {
    const before = await child.call<MemorySnapshot>('memory', { churn: true })
    if (!before.gc) throw new Error('memory probe started without --expose-gc')
    const loaded = await child.call<{ seconds: number; keyBytes: number }>('preload', { prefix: 'm/', count: entries, valueBytes, varied: true })
    const after = await child.call<MemorySnapshot>('memory')
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`
    log(`    V8 new space ${mib(before.newSpace)} before, ${mib(after.newSpace)} after`)
    const rssDelta = after.rss - before.rss
    const perEntry = rssDelta / entries
    return {
      scenario,
      entries,
      keyBytes: loaded.keyBytes,
      valueBytes,
      rssDeltaBytes: rssDelta,
      heapDeltaBytes: after.heapUsed - before.heapUsed,
      externalDeltaBytes: after.external - before.external,
      bytesPerEntry: perEntry,
      overheadPerEntry: perEntry - loaded.keyBytes - valueBytes,
      targetOverhead: TARGET_OVERHEAD_BYTES,
      insertSeconds: loaded.seconds,
    }
  } finally {
    await child.stop()
  }
}

export async function runMemory(opts: BenchOptions, log: (line: string) => void): Promise<MemoryFigure[]> {
  const out: MemoryFigure[] = []
  for (const c of CASES) {
    const entries = Math.round(c.entries * opts.memoryScale)
    const label = opts.memoryScale === 1 ? c.label : `${entries.toLocaleString('en-US')} × ${c.valueBytes} B`
    log(`  memory ${label} …`)
    out.push(await measure(entries, c.valueBytes, label, log))
  }
  return out
}
