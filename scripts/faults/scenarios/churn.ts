/**
 * Joins and leaves during writes: continuous load (a third of it writes) on a mesh of five while,
 * every few seconds, a node joins, one leaves gracefully, one is killed -9 — between four and six
 * nodes at all times. Hot keys are overwritten all along (TTL 30 s); cold keys are written once at
 * the start with a short TTL and only read, so some expire mid-run and the expiry checks bite.
 * The checker judges the whole history; nothing is exempt.
 */
import { Load } from '../load.js'
import { delay } from '../poll.js'
import { writeKeys } from '../probes.js'
import { type Kit, keysFor, type Scenario } from '../scenario.js'

const NODES = 5
const HOT_TTL_S = 30
const COLD_TTL_S = 8
const EVENT_EVERY_MS = 5_000

async function run(kit: Kit): Promise<void> {
  const durationMs = kit.opts.quick ? 15_000 : 60_000
  const cluster = kit.cluster()
  await cluster.start(NODES)
  const hot = keysFor('ch:hot:', 40)
  const cold = keysFor('ch:cold:', 20)
  await writeKeys(cluster, kit.rng, cold, COLD_TTL_S)
  const writer = new Load(
    { cluster, rng: kit.rng.fork('writer') },
    {
      keys: hot,
      ttlS: () => HOT_TTL_S,
      prefix: 'ch:',
      concurrency: 4,
      ratePerS: kit.opts.quick ? 40 : 70,
      mix: { put: 35, get: 50, head: 10, list: 5 },
    },
  )
  const reader = new Load(
    { cluster, rng: kit.rng.fork('reader') },
    {
      keys: cold,
      ttlS: () => COLD_TTL_S,
      prefix: 'ch:cold:',
      concurrency: 2,
      ratePerS: 20,
      mix: { put: 0, get: 70, head: 25, list: 5 },
    },
  )
  writer.start()
  reader.start()
  const t0 = performance.now()
  const actions = ['join', 'leave', 'kill', 'join'] as const
  try {
    for (let i = 0; performance.now() - t0 < durationMs; i++) {
      await delay(EVENT_EVERY_MS)
      const live = cluster.serving()
      let a: (typeof actions)[number] = actions[i % actions.length]
      if (a !== 'join' && live.length <= 4) a = 'join'
      if (a === 'join' && live.length >= 6) a = 'kill'
      if (a === 'join') await cluster.add()
      else {
        const victim = kit.rng.pick(live.filter((n) => n.name !== 'n1'))
        if (a === 'leave') await cluster.stopNode(victim)
        else await cluster.kill9(victim)
      }
      kit.log(`event ${i + 1}: ${a}; ${cluster.serving().length} nodes, ${kit.history.count} ops so far`)
    }
  } finally {
    await Promise.all([writer.stop(), reader.stop()])
  }
}

export const churnScenario: Scenario = { name: 'joins-leaves-under-writes', run }
