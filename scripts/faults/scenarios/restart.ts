/**
 * Restart with the same identity: a mesh of five whose nodes keep their keys in --key-file. Each cycle
 * takes a node down (kill -9, or SIGTERM on odd cycles), overwrites half of the long-lived keys and
 * lets the short-lived ones expire while it is down, then starts it again with the same key file: it
 * must come back with the same peer id, and from the moment it listens it is read for every key (a
 * node just restarted: read-your-writes, no expired or overwritten value back). Copies are counted
 * after it has rejoined.
 */
import { EXACT_BOUND_MS, measureCopies } from '../copies.js'
import { now } from '../history.js'
import { Load } from '../load.js'
import { until } from '../poll.js'
import { readRounds, writeKeys } from '../probes.js'
import { type Kit, keysFor, type Scenario } from '../scenario.js'

const NODES = 5
const SHORT_TTL_S = 3
const LONG_TTL_S = 600
const RESTARTED_READ_MS = 20_000

async function run(kit: Kit): Promise<void> {
  const cycles = kit.opts.quick ? 2 : 6
  const cluster = kit.cluster()
  await cluster.start(NODES, { keyFile: true })
  const longKeys = keysFor('rr:long:', kit.opts.quick ? 12 : 20)
  const load = new Load(
    { cluster, rng: kit.rng.fork('load') },
    {
      keys: longKeys,
      ttlS: () => LONG_TTL_S,
      prefix: 'rr:long:',
      concurrency: 3,
      ratePerS: 30,
      mix: { put: 15, get: 65, head: 15, list: 5 },
    },
  )
  await writeKeys(cluster, kit.rng, longKeys, LONG_TTL_S)
  load.start()
  try {
    for (let c = 0; c < cycles; c++) {
      const shortKeys = keysFor(`rr:short${c}:`, 8)
      const shortPuts = await writeKeys(cluster, kit.rng, shortKeys, SHORT_TTL_S)
      const victim = kit.rng.pick(cluster.serving())
      const before = victim.peerId
      const how = c % 2 === 0 ? 'kill' : 'term'
      if (how === 'kill') await cluster.kill9(victim)
      else await cluster.stopNode(victim)
      await writeKeys(
        cluster,
        kit.rng,
        longKeys.filter((_, i) => i % 2 === c % 2),
        LONG_TTL_S,
      )
      await until(Math.max(...shortPuts.map((p) => p.completeMs)) + SHORT_TTL_S * 1000 + kit.opts.toleranceMs)
      const t0 = now()
      await victim.start(
        cluster
          .serving()
          .map((n) => n.dialAddr() ?? '')
          .filter(Boolean),
      )
      kit.history.fault(`restart ${victim.name} as #${victim.incarnation} with its key file (${victim.peerId === before ? 'same' : 'NEW'} peer id)`)
      if (victim.peerId !== before) kit.violation('identity_changed', `${victim.name} came back as ${victim.peerId}, was ${before}`, { node: victim.name })
      let joinedMs: number | undefined
      const r = await readRounds(cluster, victim, [...shortKeys, ...longKeys], {
        prefix: 'rr:',
        timeoutMs: RESTARTED_READ_MS,
        done: async () => {
          if (joinedMs !== undefined) return now() - t0 > joinedMs + 1_000
          if (await cluster.knowsAll(victim)) joinedMs = Math.round(now() - t0)
          return false
        },
      })
      kit.measure('restarted node rejoined', joinedMs)
      const copies = await measureCopies(cluster, longKeys.length, { sinceMs: t0 })
      kit.measure('exact R after restart', copies.exactMs)
      if (copies.exactMs === undefined) {
        kit.violation(
          'copies_not_exact',
          `cycle ${c}: after ${victim.name} restarted, ${copies.last?.sum}/${copies.last?.owed} copies ${EXACT_BOUND_MS} ms later [${copies.last?.perNode}]`,
        )
      }
      kit.log(
        `cycle ${c + 1}/${cycles}: ${how} + restart ${victim.name}, rejoined after ${joinedMs ?? '∞'} ms (${r.rounds} read rounds), exact R after ${copies.exactMs ?? '∞'} ms`,
      )
    }
  } finally {
    await load.stop()
  }
}

export const restartScenario: Scenario = { name: 'restart-same-identity', run }
