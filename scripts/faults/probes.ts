/**
 * The scenarios' own client probes (besides the background load): write a batch of keys, read every
 * key from one node, keep reading from a node until a condition holds. Each goes through a recording
 * client, so the checker judges these reads like any other.
 */
import type { Rng } from '../sim/prng.js'
import type { Cluster } from './cluster.js'
import type { FaultNode } from './fault-node.js'
import type { Op } from './history.js'
import { now } from './history.js'
import { delay } from './poll.js'

/** Probe requests in flight at once. */
const PROBE_CONCURRENCY = 6

async function inParallel<T, R>(items: readonly T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i])
  }
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker))
  return out
}

/** One PUT per key through random nodes of `via` (default: every serving node). */
export function writeKeys(cluster: Cluster, rng: Rng, keys: readonly string[], ttlS: number, via?: FaultNode[]): Promise<Op[]> {
  return inParallel(keys, PROBE_CONCURRENCY, (k) => {
    const nodes = via ?? cluster.serving()
    return cluster.client(rng.pick(nodes)).put(k, ttlS)
  })
}

/** GET (or HEAD) every key from `node`. */
export function readKeys(cluster: Cluster, node: FaultNode, keys: readonly string[], kind: 'get' | 'head' = 'get'): Promise<Op[]> {
  const c = cluster.client(node)
  return inParallel(keys, PROBE_CONCURRENCY, (k) => c.read(kind, k))
}

/** GET every key from every node of `nodes`. */
export async function readEverywhere(cluster: Cluster, nodes: readonly FaultNode[], keys: readonly string[]): Promise<Op[]> {
  const all = await Promise.all(nodes.map((n) => readKeys(cluster, n, keys)))
  return all.flat()
}

/**
 * Reads every key from `node` in rounds (GET, and HEAD + a listing every other round) until `done()`
 * holds after a round, or `timeoutMs`. Returns the rounds made and when the first round without any
 * 503/no-answer ended (ms after the start), if one did.
 */
export async function readRounds(
  cluster: Cluster,
  node: FaultNode,
  keys: readonly string[],
  o: { prefix?: string; timeoutMs: number; done: () => boolean | Promise<boolean> },
): Promise<{ rounds: number; firstCleanMs?: number }> {
  const t0 = now()
  let rounds = 0
  let firstCleanMs: number | undefined
  while (now() - t0 < o.timeoutMs) {
    const ops = await readKeys(cluster, node, keys, rounds % 2 === 0 ? 'get' : 'head')
    if (o.prefix !== undefined && rounds % 2 === 1) ops.push(await cluster.client(node).list(o.prefix))
    rounds++
    if (firstCleanMs === undefined && ops.every((op) => op.status === 200 || op.status === 404)) firstCleanMs = Math.round(now() - t0)
    if (await o.done()) break
    if (ops.every((op) => op.status === 0)) await delay(100)
  }
  return { rounds, firstCleanMs }
}
