/**
 * Counting copies from outside: the sum of `keys` in every serving node's /v1/status against R' × the
 * scenario's live keys (R' = min(R, serving nodes)). The gateway exposes no per-key "held here" view,
 * so this is a count, not a per-key census: one surplus copy can hide one missing copy. Scenarios keep
 * every key of their mesh long-lived while they count, so the expected total is exact. Restored =
 * total ≥ owed, exact = total == owed, each on SAMPLES_IN_A_ROW consecutive samples (one could be
 * a lucky snapshot mid-handoff); times are from the fault to the first sample of the streak.
 */
import type { Cluster } from './cluster.js'
import { now } from './history.js'
import { delay } from './poll.js'

/** Stated bound: R copies of every key again within this long after a kill -9 or a join. */
export const RESTORE_BOUND_MS = 10_000
/** Stated bound: exactly R copies (surplus copies on former replicas dropped) within this long. */
export const EXACT_BOUND_MS = 20_000
const SAMPLE_MS = 200
const SAMPLES_IN_A_ROW = 2

export interface CopiesSample {
  atMs: number
  sum: number
  owed: number
  perNode: string
}

export interface CopiesResult {
  restoredMs?: number
  exactMs?: number
  first?: CopiesSample
  last?: CopiesSample
}

export async function sampleCopies(cluster: Cluster, keys: number, replication: number): Promise<CopiesSample | undefined> {
  const counts = await cluster.keyCounts()
  if (counts.some((c) => c.keys === undefined)) return undefined
  const sum = counts.reduce((s, c) => s + (c.keys ?? 0), 0)
  return {
    atMs: now(),
    sum,
    owed: Math.min(replication, counts.length) * keys,
    perNode: counts.map((c) => `${c.node.name}:${c.keys}`).join(' '),
  }
}

/** Samples until exactly R' × keys copies are held (or EXACT_BOUND_MS after `sinceMs`). */
export async function measureCopies(
  cluster: Cluster,
  keys: number,
  o: { sinceMs: number; replication?: number; exactBoundMs?: number },
): Promise<CopiesResult> {
  const r = o.replication ?? 3
  const bound = o.exactBoundMs ?? EXACT_BOUND_MS
  const out: CopiesResult = {}
  let restoredStreak: number | undefined
  let restoredN = 0
  let exactStreak: number | undefined
  let exactN = 0
  while (now() - o.sinceMs <= bound) {
    const s = await sampleCopies(cluster, keys, r)
    if (s) {
      out.first ??= s
      out.last = s
      if (s.sum >= s.owed) {
        restoredStreak ??= s.atMs
        if (++restoredN >= SAMPLES_IN_A_ROW && out.restoredMs === undefined) out.restoredMs = Math.max(0, Math.round(restoredStreak - o.sinceMs))
      } else {
        restoredStreak = undefined
        restoredN = 0
      }
      if (s.sum === s.owed) {
        exactStreak ??= s.atMs
        if (++exactN >= SAMPLES_IN_A_ROW) {
          out.exactMs = Math.max(0, Math.round(exactStreak - o.sinceMs))
          out.restoredMs ??= out.exactMs
          return out
        }
      } else {
        exactStreak = undefined
        exactN = 0
      }
    }
    await delay(SAMPLE_MS)
  }
  return out
}
