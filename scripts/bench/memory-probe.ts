/**
 * One-off memory probe (not part of `npm run bench`): heap, external and RSS per entry kept by a node
 * (createNode: mesh of one), a standalone node (LocalReplicator) or the store alone, after `n` puts of
 * `valueBytes` each; `--snapshot` adds a heap-snapshot summary of the biggest constructors.
 * Run: node --expose-gc dist/scripts/bench/memory-probe.js --mode node|standalone|store --n 100000 --value 100 [--settle-ms 6000]
 * PROBE_OFF=floor,publish,directory switches a part off; PROBE_BUFFERS=1 groups buffers by size in the snapshot.
 */
import '../../src/polyfill.js'
import { parseArgs } from 'node:util'
import v8 from 'node:v8'
import { createNode } from '../../src/create-node.js'
import { Announcements } from '../../src/replication/announcements.js'
import { Directory } from '../../src/replication/directory.js'
import { VersionFloor } from '../../src/replication/version-floor.js'
import { systemClock } from '../../src/shared/clock.js'
import { makeConfig } from '../../src/shared/config.js'
import { createLogger } from '../../src/shared/logger.js'
import { MemoryStore } from '../../src/store/memory-store.js'

const BATCH = 1_000
const TTL_SECONDS = 86_400

function snap() {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run with --expose-gc')
  gc()
  gc()
  return process.memoryUsage()
}

/** Self size per constructor name from a heap snapshot (top 15). */
function summarise(): void {
  const snapshot = JSON.parse(require_snapshot()) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }
    nodes: number[]
    strings: string[]
  }
  const f = snapshot.snapshot.meta.node_fields
  const stride = f.length
  const iType = f.indexOf('type')
  const iName = f.indexOf('name')
  const iSize = f.indexOf('self_size')
  const types = snapshot.snapshot.meta.node_types[0]
  const by = new Map<string, { n: number; bytes: number }>()
  for (let i = 0; i < snapshot.nodes.length; i += stride) {
    const t = types[snapshot.nodes[i + iType]]
    const name = t === 'object' || t === 'closure' || t === 'native' ? `${t}:${snapshot.strings[snapshot.nodes[i + iName]].slice(0, 60)}` : t
    if (t === 'native' && process.env.PROBE_BUFFERS) {
      const k = `buffer of ${snapshot.nodes[i + iSize]} B`
      const b = by.get(k) ?? { n: 0, bytes: 0 }
      b.n++
      b.bytes += snapshot.nodes[i + iSize]
      by.set(k, b)
      continue
    }
    const e = by.get(name) ?? { n: 0, bytes: 0 }
    e.n++
    e.bytes += snapshot.nodes[i + iSize]
    by.set(name, e)
  }
  const top = [...by.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 20)
  for (const [name, e] of top) process.stdout.write(`${String(e.bytes).padStart(12)} B ${String(e.n).padStart(9)} × ${name}\n`)
}

function require_snapshot(): string {
  const chunks: string[] = []
  const fd = v8.getHeapSnapshot()
  let c: string | Buffer | null
  // biome-ignore lint/suspicious/noAssignInExpressions: stream read loop
  while ((c = fd.read()) !== null) chunks.push(c.toString())
  return chunks.join('')
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string', default: 'node' },
      n: { type: 'string', default: '100000' },
      value: { type: 'string', default: '100' },
      snapshot: { type: 'boolean', default: false },
      'settle-ms': { type: 'string', default: '0' },
    },
  })
  // PROBE_OFF=directory,floor: disable a part to see what it costs (the figure is then not the node's).
  const off = (process.env.PROBE_OFF ?? '').split(',')
  if (off.includes('directory')) Directory.prototype.upsert = () => true
  if (off.includes('floor')) VersionFloor.prototype.remember = () => {}
  if (off.includes('publish')) Announcements.prototype.start = () => {}
  const n = Number(values.n)
  const valueBytes = Number(values.value)
  const mode = values.mode
  const logger = createLogger('probe', { level: 'warn' })
  const config = makeConfig({ httpHost: '127.0.0.1', httpPort: 0, gossipPort: 0, logLevel: 'warn', nodeId: 'probe', standalone: mode === 'standalone' })
  const node = mode === 'store' ? undefined : createNode(config, { logger })
  const store = mode === 'store' ? new MemoryStore({ clock: systemClock }) : undefined
  await node?.start()
  const inputs = Array.from({ length: BATCH }, () => Buffer.alloc(valueBytes, 0x61))
  const width = String(n).length
  const before = snap()
  let keyBytes = 0
  for (let i = 0; i < n; i += BATCH) {
    const batch: Promise<unknown>[] = []
    for (let j = i; j < Math.min(n, i + BATCH); j++) {
      const input = inputs[j - i]
      input.writeUInt32LE(j, 0)
      const key = `k/${String(j).padStart(width, '0')}`
      keyBytes += key.length
      if (node) batch.push(node.put(key, input, { ttlSeconds: TTL_SECONDS }))
      else {
        const now = Date.now()
        store?.put({
          key,
          value: input.slice(),
          version: { hlc: j, node: 1 },
          createdAt: now,
          ttlSeconds: TTL_SECONDS,
          expiresAt: now + TTL_SECONDS * 1000,
          size: valueBytes,
        })
      }
    }
    await Promise.all(batch)
  }
  // Time-bounded state (gossipsub's message cache of the last heartbeats) ages out meanwhile.
  if (Number(values['settle-ms']) > 0) await new Promise((r) => setTimeout(r, Number(values['settle-ms'])))
  const after = snap()
  const per = (a: number, b: number) => ((a - b) / n).toFixed(0)
  const kv = keyBytes / n + valueBytes
  process.stdout.write(
    `${mode} n=${n} value=${valueBytes}: heap ${per(after.heapUsed, before.heapUsed)} B (committed ${per(after.heapTotal, before.heapTotal)} B), external ${per(after.external, before.external)} B, rss ${per(after.rss, before.rss)} B/entry; overhead (rss - k - v) ${((after.rss - before.rss) / n - kv).toFixed(0)} B\n`,
  )
  if (values.snapshot) summarise()
  await node?.stop()
  store?.stop()
  process.exit(0)
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
