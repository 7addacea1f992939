/**
 * A bench child holding one real node (createNode + the facade), optionally behind the real Gateway on
 * port 0: the same parts `repram node` assembles, in a process of its own. Commands over IPC:
 * - preload {prefix, count, valueBytes, distinct}: node.put `prefix` + zero-padded index, in order
 *   (how the 1M-key listing scenario gets its keys in seconds instead of minutes of HTTP PUTs);
 * - memory: gc() twice (needs --expose-gc) and report process.memoryUsage();
 * - stats: the node's status report; profileStart / profileStop {file}: CPU profile of the load only;
 * - stop: stop gateway and node, then exit.
 * Flags: --gateway (serve HTTP), --log-level L.
 */
import '../../src/polyfill.js'
import { parseArgs } from 'node:util'
import { Gateway } from '../../src/gateway/gateway.js'
import { makeConfig } from '../../src/node/config.js'
import { createNode } from '../../src/node/create-node.js'
import { createLogger } from '../../src/node/logger.js'
import { serveIpc } from './ipc-child.js'
import { indexWidth, padIndex } from './keys.js'
import { ChildProfiler } from './profiler.js'

/** Puts awaited together: enough to keep the facade busy, few enough to keep memory flat. */
const PRELOAD_BATCH = 1_000
/** Long enough that no preloaded key expires during any run of the bench. */
const PRELOAD_TTL_SECONDS = 86_400

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
      const distinct = args.distinct === true
      const width = indexWidth(count)
      const shared = new Uint8Array(valueBytes).fill(0x61)
      const t0 = performance.now()
      for (let i = 0; i < count; i += PRELOAD_BATCH) {
        const batch: Promise<unknown>[] = []
        for (let j = i; j < Math.min(count, i + PRELOAD_BATCH); j++) {
          let value = shared
          if (distinct) {
            // Each value its own allocation, as a request body would be.
            value = new Uint8Array(valueBytes)
            value[0] = j & 0xff
          }
          batch.push(node.put(`${prefix}${padIndex(j, width)}`, value, { ttlSeconds: PRELOAD_TTL_SECONDS }))
        }
        await Promise.all(batch)
      }
      return { seconds: (performance.now() - t0) / 1000, keyBytes: Buffer.byteLength(prefix) + width }
    },
    async memory() {
      if (gc) {
        gc()
        gc()
      }
      const m = process.memoryUsage()
      return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, gc: gc !== undefined }
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
