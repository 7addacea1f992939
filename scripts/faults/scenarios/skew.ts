/**
 * Clock skew through libfaketime: three nodes on true time, one 20 s behind (n4), one 20 s ahead
 * (n5), one whose clock the harness moves while it runs (n6). All skews are inside the 60 s a version
 * may run ahead (MAX_FUTURE_SKEW_MS). Judged in the harness's time:
 * - lagging writer: a key written on n1, then overwritten through n4 (201) — every node must then
 *   return n4's value (its version is lower unless the clocks observe peers);
 * - ahead writer: written through n5, overwritten through n2 — every node must return n2's value;
 * - expiry: short-TTL keys written through n1, n4 and n5, read from every node until after expiry —
 *   readable until the TTL (from the PUT) has run, gone right after, on every node;
 * - jumps: n6 jumps 25 s ahead (long keys must stay readable on it), then 25 s behind (expired short
 *   keys must not be readable on it), then back.
 */
import type { Cluster } from '../cluster.js'
import type { FaultNode } from '../fault-node.js'
import { Load } from '../load.js'
import { pollWithin, until } from '../poll.js'
import { readEverywhere, readKeys, readRounds, writeKeys } from '../probes.js'
import { type Kit, keysFor, type Scenario } from '../scenario.js'
import { fixedSkewEnv, JumpingClock } from '../skew.js'

const SKEW_S = 20
const JUMP_S = 25
const SHORT_TTL_S = 5
const LONG_TTL_S = 600
/** libfaketime re-reads the offset file at most every second (FAKETIME_CACHE_DURATION=1). */
const JUMP_VISIBLE_MS = 5_000

async function run(kit: Kit): Promise<void> {
  const lib = kit.opts.caps.faketimeLib as string
  const n = kit.opts.quick ? 5 : 10
  const cluster = kit.cluster()
  const [n1, n2] = await cluster.start(3)
  const lag = await cluster.add({ env: fixedSkewEnv(lib, -SKEW_S) })
  // Lagging writer overwrites, before any node ahead of true time exists and with no other load (a
  // clock that observes peers would otherwise have been dragged forward already).
  const lagKeys = keysFor('sk:lag:', n)
  await writeKeys(cluster, kit.rng, lagKeys, LONG_TTL_S, [n1])
  await writeKeys(cluster, kit.rng, lagKeys, LONG_TTL_S, [lag])
  await readEverywhere(cluster, cluster.serving(), lagKeys)
  // Ahead writer, then a true-time overwrite.
  const ahead = await cluster.add({ env: fixedSkewEnv(lib, SKEW_S) })
  const aheadKeys = keysFor('sk:ahead:', n)
  await writeKeys(cluster, kit.rng, aheadKeys, LONG_TTL_S, [ahead])
  await writeKeys(cluster, kit.rng, aheadKeys, LONG_TTL_S, [n2])
  await readEverywhere(cluster, cluster.serving(), aheadKeys)

  // The short subset (npm test) leaves out the clock jumps (one node and ~8 s less).
  const jumping = kit.opts.quick ? undefined : new JumpingClock(lib, 0)
  const jumper = jumping ? await cluster.add({ env: jumping.env }) : undefined
  if (jumper) kit.history.event(`clock: ${jumper.name} movable (FAKETIME_TIMESTAMP_FILE)`)
  const bg = keysFor('sk:bg:', 20)
  const load = new Load({ cluster, rng: kit.rng.fork('load') }, { keys: bg, ttlS: () => 10, prefix: 'sk:bg:', concurrency: 3, ratePerS: 30 })
  load.start()
  try {
    // Expiry with skewed writers and readers.
    const exp = [n1, lag, ahead].map((w) => ({ w, keys: keysFor(`sk:exp:${w.name}:`, n) }))
    const puts = (await Promise.all(exp.map((e) => writeKeys(cluster, kit.rng, e.keys, SHORT_TTL_S, [e.w])))).flat()
    const expKeys = exp.flatMap((e) => e.keys)
    const lastExpiry = Math.max(...puts.map((p) => p.completeMs)) + SHORT_TTL_S * 1000
    while (performance.timeOrigin + performance.now() < lastExpiry + 3_000) await readEverywhere(cluster, cluster.serving(), expKeys)

    if (jumping && jumper) await jumps(kit, cluster, jumping, jumper, n1, n2, n)
  } finally {
    await load.stop()
    jumping?.destroy()
  }
}

/** n6's clock jumps ahead (long keys must stay readable on it), then behind (expired keys must stay gone), then back. */
async function jumps(kit: Kit, cluster: Cluster, jumping: JumpingClock, jumper: FaultNode, n1: FaultNode, n2: FaultNode, n: number): Promise<void> {
  const jumpKeys = keysFor('sk:jump:', n)
  await writeKeys(cluster, kit.rng, jumpKeys, LONG_TTL_S, [n1])
  const probe = jumpKeys[0]
  const remainingOn = async (): Promise<number | undefined> => (await cluster.client(jumper).head(probe)).remainingTtlS
  const base = (await remainingOn()) ?? LONG_TTL_S
  jumping.set(JUMP_S)
  kit.history.fault(`${jumper.name} clock jumps to +${JUMP_S}s`)
  const seen = await pollWithin(
    async () => {
      const r = await remainingOn()
      return r === undefined || r <= base - JUMP_S + 3
    },
    { timeoutMs: JUMP_VISIBLE_MS, intervalMs: 200 },
  )
  if (seen === undefined) kit.note(`${jumper.name}'s answers did not show the +${JUMP_S}s jump within ${JUMP_VISIBLE_MS} ms (X-Remaining-TTL unchanged)`)
  await readRounds(cluster, jumper, jumpKeys, { prefix: 'sk:jump:', timeoutMs: 2_000, done: () => false })
  jumping.set(-JUMP_S)
  kit.history.fault(`${jumper.name} clock jumps to -${JUMP_S}s`)
  const shortKeys = keysFor('sk:back:', n)
  const shortPuts = await writeKeys(cluster, kit.rng, shortKeys, 2, [n1, n2])
  await until(Math.max(...shortPuts.map((p) => p.completeMs)) + 2_000 + kit.opts.toleranceMs + 500)
  await readRounds(cluster, jumper, shortKeys, { prefix: 'sk:back:', timeoutMs: 2_000, done: () => false })
  await readKeys(cluster, jumper, jumpKeys)
  jumping.set(0)
  kit.history.event(`${jumper.name} clock back to true time`)
}

export const skewScenario: Scenario = { name: 'clock-skew', needs: 'faketime', run }
