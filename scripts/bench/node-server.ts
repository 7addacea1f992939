/**
 * A bench child holding one real node (createNode + the facade), optionally behind the real Gateway on
 * port 0: the same parts `repram node` assembles, in a process of its own. Commands over IPC:
 * - preload {prefix, count, valueBytes, varied}: node.put `prefix` + zero-padded index, in order
 *   (how the 1M-key listing scenario gets its keys in seconds instead of minutes of HTTP PUTs);
 * - memory {churn}: gc() twice (needs --expose-gc) and report process.memoryUsage() and V8's new-space size; churn first grows the
 *   young generation to its working size so a baseline does not leave that growth in the delta;
 * - stats: the node's status report; profileStart / profileStop {file}: CPU profile of the load only;
 * - stop: stop gateway and node, then exit.
 * Flags: --gateway (serve HTTP), --log-level L.
 */
import '../../src/polyfill.js'
import { parseArgs } from 'node:util'
import { getHeapSpaceStatistics } from 'node:v8'
import { createNode } from '../../src/create-node.js'
import { Gateway } from '../../src/gateway/gateway.js'
import type { RepramNode } from '../../src/node/repram-node.js'
import { makeConfig } from '../../src/shared/config.js'
import { createLogger } from '../../src/shared/logger.js'
import { serveIpc } from './ipc-child.js'
import { indexWidth, padIndex } from './keys.js'
import { ChildProfiler } from './profiler.js'

/** Puts awaited together: enough to keep the facade busy, few enough to keep memory flat. */
const PRELOAD_BATCH = 1_000
/** Keys read back after a varied preload. */
const VERIFY_SAMPLE = 100
/** Long enough that no preloaded key expires during any run of the bench. */
const PRELOAD_TTL_SECONDS = 86_400

/** Allocations of the churn before a memory baseline: enough scavenges to grow the young generation fully. */
const CHURN_OBJECTS = 4_000_000

function churn(): number {
  let keep = 0
  for (let i = 0; i < CHURN_OBJECTS; i++) {
    const o = { i, s: `k${i}`, b: new Uint8Array(64) }
    keep += o.s.length + o.b.length
  }
  return keep
}

/** Same bytes under every key, puts awaited in batches: fast, for keyspaces whose values nobody reads. */
async function preloadShared(node: RepramNode, prefix: string, width: number, count: number, valueBytes: number): Promise<void> {
  const shared = new Uint8Array(valueBytes).fill(0x61)
  for (let i = 0; i < count; i += PRELOAD_BATCH) {
    const batch: Promise<unknown>[] = []
    for (let j = i; j < Math.min(count, i + PRELOAD_BATCH); j++) {
      batch.push(node.put(`${prefix}${padIndex(j, width)}`, shared, { ttlSeconds: PRELOAD_TTL_SECONDS }))
    }
    await Promise.all(batch)
  }
}

/**
 * A different value under every key, written from a fixed set of reused input buffers (one per put in
 * flight) — so the only memory left behind is what the node keeps (fresh input buffers would leave
 * freed-but-not-returned malloc memory in RSS). Read back a sample: if the node kept a reference to an
 * input instead of a copy, the sample shows it and the figure would be wrong.
 */
async function preloadVaried(node: RepramNode, prefix: string, width: number, count: number, valueBytes: number): Promise<void> {
  const inputs = Array.from({ length: PRELOAD_BATCH }, () => Buffer.alloc(valueBytes, 0x61))
  for (let i = 0; i < count; i += PRELOAD_BATCH) {
    const batch: Promise<unknown>[] = []
    for (let j = i; j < Math.min(count, i + PRELOAD_BATCH); j++) {
      const input = inputs[j - i]
      input.writeUInt32LE(j, 0)
      batch.push(node.put(`${prefix}${padIndex(j, width)}`, input, { ttlSeconds: PRELOAD_TTL_SECONDS }))
    }
    await Promise.all(batch)
  }
  for (let i = 0; i < count; i += Math.max(1, Math.floor(count / VERIFY_SAMPLE))) {
    const got = await node.get(`${prefix}${padIndex(i, width)}`)
    if (Buffer.from(got.value.buffer, got.value.byteOffset, got.value.byteLength).readUInt32LE(0) !== i) {
      throw new Error('the node kept a reference to the input buffer instead of a copy: preload with distinct buffers')
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { gateway: { type: 'boolean', default: false }, 'log-level': { type: 'string', default: 'warn' } },
    strict: true,
  })
  const logLevel = values['log-level'] as 'debug' | 'info' | 'warn' | 'error'
  const config = makeConfig({ httpHost: '127.0.0.1', httpPort: 0, gossipPort: 0, rateLimitPerSecond: 0, logLevel, nodeId: 'bench' })
  const logger = createLogger('repram', { level: logLevel })
  const node = createNode(config, { logger })
  await node.start()
  let gateway: Gateway | undefined
  if (values.gateway) {
    // As `repram node` assembles it (src/cli/node-command.ts): createNode, then a Gateway over it.
    gateway = new Gateway({ node, logger: logger.child('gateway') }, { host: '127.0.0.1', port: 0 })
    await gateway.start()
  }
  const profiler = new ChildProfiler()
  const gc = (globalThis as { gc?: () => void }).gc
  serveIpc(gateway?.url ?? 'none', {
    async preload(args) {
      const prefix = String(args.prefix)
      const count = Number(args.count)
      const valueBytes = Number(args.valueBytes ?? 100)
      const width = indexWidth(count)
      const t0 = performance.now()
      if (args.varied === true) await preloadVaried(node, prefix, width, count, valueBytes)
      else await preloadShared(node, prefix, width, count, valueBytes)
      return { seconds: (performance.now() - t0) / 1000, keyBytes: Buffer.byteLength(prefix) + width }
    },
    async memory(args) {
      // Short-lived garbage first, so the young generation has grown to its working size before a
      // baseline is taken (otherwise its growth during the inserts lands in the per-entry figure).
      if (args.churn === true) churn()
      if (gc) {
        gc()
        gc()
      }
      const m = process.memoryUsage()
      const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0
      return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, newSpace, gc: gc !== undefined }
    },
    async profileStart() {
      await profiler.start()
    },
    async profileStop(args) {
      await profiler.stop(String(args.file))
    },
    async stats() {
      return node.status()
    },
    async stop() {
      await gateway?.stop()
      await node.stop()
    },
  })
}

main().catch((err: unknown) => {
  process.stderr.write(`bench node child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
