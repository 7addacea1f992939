/**
 * Late joiners, repeated: a mesh of four takes a batch of writes (new keys and overwrites of earlier
 * ones); then a fresh node starts and is read for every key from the moment its gateway listens —
 * before, while and after it joins — until it has joined and one more full round has passed. A 503
 * while it joins is allowed; a 404 or an older version after a 201 is not (read-your-writes from a
 * node that joined after the write). The moment the joiner is known, when placement moves keys onto
 * it, every old node is read for every key too. The copies are counted after the join (handoff to
 * it, surplus dropped), then the oldest non-seed node leaves gracefully (SIGTERM) and they are
 * counted again.
 */
import { EXACT_BOUND_MS, measureCopies, RESTORE_BOUND_MS } from '../copies.js'
import { now } from '../history.js'
import { Load } from '../load.js'
import { readEverywhere, readRounds, writeKeys } from '../probes.js'
import { type Kit, keysFor, type Scenario } from '../scenario.js'

const NODES = 4
const TTL_S = 1_800
/** Reading a joiner stops this long after it started, joined or not. */
const JOINER_READ_MS = 30_000

async function run(kit: Kit): Promise<void> {
  const reps = kit.opts.reps
  const perRep = kit.opts.quick ? 8 : 12
  const cluster = kit.cluster()
  await cluster.start(NODES)
  const keys: string[] = []
  const load = new Load(
    { cluster, rng: kit.rng.fork('load') },
    {
      keys,
      ttlS: () => TTL_S,
      prefix: 'lj:',
      concurrency: 3,
      ratePerS: kit.opts.quick ? 20 : 40,
      mix: { put: 20, get: 60, head: 15, list: 5 },
      // The joiner is read by the probe only: load on it would blur when it started answering.
      nodes: () => cluster.serving().filter((n) => n.upAtMs < now() - 1_000),
    },
  )
  load.start()
  try {
    for (let rep = 0; rep < reps; rep++) {
      const fresh = keysFor('lj:', perRep, keys.length)
      const overwrite = keys.filter(() => kit.rng.chance(0.3))
      keys.push(...fresh)
      await writeKeys(cluster, kit.rng, [...fresh, ...overwrite], TTL_S)

      const joinAt = now()
      const joiner = await cluster.add({ join: false })
      let joinedMs: number | undefined
      const reading = readRounds(cluster, joiner, [...keys], {
        prefix: 'lj:',
        timeoutMs: JOINER_READ_MS,
        done: async () => {
          if (joinedMs !== undefined) return now() - joinAt > joinedMs + 1_000
          if (await cluster.knowsAll(joiner)) {
            joinedMs = Math.round(now() - joinAt)
            // Placement just moved keys onto the joiner: every old node is read for every key too.
            await readEverywhere(
              cluster,
              cluster.serving().filter((x) => x !== joiner),
              keys,
            )
          }
          return false
        },
      })
      const r = await reading
      kit.measure('joiner joined', joinedMs)
      if (joinedMs === undefined) kit.note(`rep ${rep}: ${joiner.name} did not join within ${JOINER_READ_MS} ms`)

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

      const leaver = cluster.serving().find((n) => n.name !== 'n1' && n !== joiner)
      if (leaver) {
        const leaveAt = now()
        await cluster.stopNode(leaver)
        const afterLeave = await measureCopies(cluster, keys.length, { sinceMs: leaveAt })
        kit.measure('exact R after leave', afterLeave.exactMs)
        if (afterLeave.exactMs === undefined) {
          kit.violation(
            'copies_not_exact',
            `rep ${rep}: after ${leaver.name} left gracefully, ${afterLeave.last?.sum}/${afterLeave.last?.owed} copies ${EXACT_BOUND_MS} ms later [${afterLeave.last?.perNode}]`,
          )
        }
      }
      kit.log(
        `rep ${rep + 1}/${reps}: ${joiner.name} joined after ${joinedMs ?? '∞'} ms (${r.rounds} read rounds), exact after join ${afterJoin.exactMs ?? '∞'} ms, ${leaver?.name ?? 'nobody'} left; ${keys.length} keys`,
      )
    }
  } finally {
    await load.stop()
  }
}

export const lateJoinerScenario: Scenario = { name: 'late-joiner', run }
