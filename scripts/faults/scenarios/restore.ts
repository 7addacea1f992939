/**
 * Restoration, repeated: a mesh of five, a batch of long-lived keys written per round, then kill -9 of
 * a random node: every survivor is read for every key at once (read-your-writes right after the
 * crash), and the copies are counted until exactly R per key again (bound: RESTORE_BOUND_MS for R,
 * EXACT_BOUND_MS for exactly R). Then a fresh node joins (five again): it is read for every key as
 * soon as it has joined, and the copies are counted again (handoff to the joiner, surplus dropped).
 */
import { EXACT_BOUND_MS, measureCopies, RESTORE_BOUND_MS } from '../copies.js'
import { now } from '../history.js'
import { Load } from '../load.js'
import { readEverywhere, readKeys, writeKeys } from '../probes.js'
import { type Kit, keysFor, type Scenario } from '../scenario.js'

const NODES = 5
const TTL_S = 1_800

async function run(kit: Kit): Promise<void> {
  const reps = kit.opts.reps
  const perRep = kit.opts.quick ? 8 : 15
  const cluster = kit.cluster()
  await cluster.start(NODES)
  const keys: string[] = []
  const load = new Load(
    { cluster, rng: kit.rng.fork('load') },
    {
      keys,
      ttlS: () => TTL_S,
      prefix: 'rs:',
      concurrency: 4,
      ratePerS: kit.opts.quick ? 30 : 50,
      mix: { put: 10, get: 70, head: 15, list: 5 },
    },
  )
  keys.push(...keysFor('rs:', perRep))
  await writeKeys(cluster, kit.rng, keys, TTL_S)
  load.start()
  try {
    for (let rep = 0; rep < reps; rep++) {
      if (rep > 0) {
        const fresh = keysFor('rs:', perRep, keys.length)
        await writeKeys(cluster, kit.rng, fresh, TTL_S)
        keys.push(...fresh)
      }
      const settled = await measureCopies(cluster, keys.length, { sinceMs: now() })
      if (settled.exactMs === undefined)
        kit.note(`rep ${rep}: not exactly R copies before the fault (${settled.last?.sum}/${settled.last?.owed}: ${settled.last?.perNode})`)

      const victim = kit.rng.pick(cluster.serving())
      const killedAt = now()
      await cluster.kill9(victim)
      await readEverywhere(cluster, cluster.serving(), keys)
      const afterKill = await measureCopies(cluster, keys.length, { sinceMs: killedAt })
      kit.measure('restore after kill -9', afterKill.restoredMs)
      if (afterKill.restoredMs === undefined || afterKill.restoredMs > RESTORE_BOUND_MS) {
        kit.violation(
          'copies_not_restored',
          `rep ${rep}: after kill -9 of ${victim.name}, ${afterKill.restoredMs === undefined ? `still ${afterKill.last?.sum}/${afterKill.last?.owed} copies after ${EXACT_BOUND_MS} ms` : `R copies only after ${afterKill.restoredMs} ms`} (bound ${RESTORE_BOUND_MS} ms); first sample ${afterKill.first?.sum}/${afterKill.first?.owed} [${afterKill.first?.perNode}], last [${afterKill.last?.perNode}]`,
        )
      } else if (afterKill.exactMs === undefined) {
        kit.violation(
          'copies_not_exact',
          `rep ${rep}: after kill -9 of ${victim.name}, ${afterKill.last?.sum}/${afterKill.last?.owed} copies ${EXACT_BOUND_MS} ms later [${afterKill.last?.perNode}]`,
        )
      }

      const joinAt = now()
      const joiner = await cluster.add()
      await readKeys(cluster, joiner, keys)
      const afterJoin = await measureCopies(cluster, keys.length, { sinceMs: joinAt })
      kit.measure('exact R after join', afterJoin.exactMs)
      if (afterJoin.restoredMs === undefined || afterJoin.restoredMs > RESTORE_BOUND_MS) {
        kit.violation(
          'copies_not_restored',
          `rep ${rep}: after ${joiner.name} joined, ${afterJoin.last?.sum}/${afterJoin.last?.owed} copies [${afterJoin.last?.perNode}]`,
        )
      } else if (afterJoin.exactMs === undefined) {
        kit.violation(
          'copies_not_exact',
          `rep ${rep}: after ${joiner.name} joined, ${afterJoin.last?.sum}/${afterJoin.last?.owed} copies ${EXACT_BOUND_MS} ms later [${afterJoin.last?.perNode}]`,
        )
      }
      kit.log(
        `rep ${rep + 1}/${reps}: killed ${victim.name} (restored ${afterKill.restoredMs ?? '∞'} ms, exact ${afterKill.exactMs ?? '∞'} ms), ${joiner.name} joined (exact ${afterJoin.exactMs ?? '∞'} ms), ${keys.length} keys`,
      )
    }
  } finally {
    await load.stop()
  }
}

export const restoreScenario: Scenario = { name: 'kill9-restore', run }
