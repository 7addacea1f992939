/**
 * SIGSTOP past a TTL: a mesh of five holds short-lived keys (TTL 3 s) and long-lived ones; one node
 * is stopped, half of the long keys are overwritten elsewhere while it is frozen, and it stays frozen
 * until every short key has certainly expired. Right after SIGCONT — before its timers have caught
 * up — it is read for every key (GET, HEAD, listing) for a few seconds: the short keys must be gone
 * (nothing after expiry), the long ones readable at their newest version (read-your-writes from a
 * node that was paused; the overwritten versions must not come back). Repeated on different nodes.
 */
import { now } from '../history.js'
import { Load } from '../load.js'
import { until } from '../poll.js'
import { readEverywhere, readRounds, writeKeys } from '../probes.js'
import { type Kit, keysFor, type Scenario } from '../scenario.js'

const NODES = 5
const SHORT_TTL_S = 3
const LONG_TTL_S = 600
/** Kept frozen this long past the last short key's latest possible expiry. */
const FROZEN_PAST_TTL_MS = 2_000
/** Reads of the resumed node for this long. */
const AFTER_RESUME_READ_MS = 4_000

async function run(kit: Kit): Promise<void> {
  const cycles = kit.opts.quick ? 1 : 3
  const cluster = kit.cluster()
  await cluster.start(NODES)
  const longKeys = keysFor('pz:long:', kit.opts.quick ? 12 : 20)
  const load = new Load(
    { cluster, rng: kit.rng.fork('load') },
    {
      keys: longKeys,
      ttlS: () => LONG_TTL_S,
      prefix: 'pz:',
      concurrency: 3,
      ratePerS: 30,
      mix: { put: 15, get: 65, head: 15, list: 5 },
    },
  )
  await writeKeys(cluster, kit.rng, longKeys, LONG_TTL_S)
  load.start()
  try {
    for (let c = 0; c < cycles; c++) {
      const shortKeys = keysFor(`pz:short${c}:`, 10)
      const victim = cluster.serving()[(c * 2 + 1) % NODES]
      const others = cluster.serving().filter((n) => n !== victim)
      const shortPuts = await writeKeys(cluster, kit.rng, shortKeys, SHORT_TTL_S)
      const pausedAt = now()
      cluster.pause(victim)
      await writeKeys(
        cluster,
        kit.rng,
        longKeys.filter((_, i) => i % 2 === c % 2),
        LONG_TTL_S,
        others,
      )
      const lastExpiry = Math.max(...shortPuts.map((p) => p.completeMs)) + SHORT_TTL_S * 1000
      await until(lastExpiry + kit.opts.toleranceMs + (kit.opts.quick ? FROZEN_PAST_TTL_MS / 2 : FROZEN_PAST_TTL_MS))
      const frozenMs = Math.round(now() - pausedAt)
      cluster.resume(victim)
      const r = await readRounds(cluster, victim, [...shortKeys, ...longKeys], {
        prefix: 'pz:',
        timeoutMs: kit.opts.quick ? AFTER_RESUME_READ_MS / 2 : AFTER_RESUME_READ_MS,
        done: () => false,
      })
      await readEverywhere(cluster, others, shortKeys)
      await cluster.waitJoined(victim)
      kit.log(
        `cycle ${c + 1}/${cycles}: ${victim.name} frozen ${frozenMs} ms, ${r.rounds} read rounds after SIGCONT (first clean after ${r.firstCleanMs ?? '∞'} ms)`,
      )
      kit.measure('resumed node answers', r.firstCleanMs)
    }
  } finally {
    await load.stop()
  }
}

export const pauseScenario: Scenario = { name: 'pause-past-ttl', run }
