/**
 * Message loss in network namespaces: five nodes on the lab bridge under steady load; for a while
 * nftables drops a share of every packet between nodes at random (the harness's own requests to the
 * gateways are not filtered), then the loss stops. TCP retransmits, so loss shows as latency spikes,
 * stalls and timeouts on the node-to-node connections. Delay needs tc netem (sch_netem): where the
 * kernel lacks it, delay is not injected and the run says so. Nothing is exempt: every 201 is owed
 * to every later read, expiry holds throughout.
 */
import { spawnSync } from 'node:child_process'
import { Load } from '../load.js'
import { delay } from '../poll.js'
import { readEverywhere, writeKeys } from '../probes.js'
import { type Kit, keysFor, type Scenario } from '../scenario.js'

const NODES = 5
const LOSS_PERCENT = 20
const TTL_S = 15
const DELAY = ['delay', '40ms', '20ms']

async function run(kit: Kit): Promise<void> {
  const phaseMs = kit.opts.quick ? 8_000 : 20_000
  const cluster = kit.cluster({ netns: true })
  const nodes = await cluster.start(NODES)
  const lab = cluster.lab as NonNullable<typeof cluster.lab>
  const keys = keysFor('ls:', 40)
  await writeKeys(cluster, kit.rng, keys, TTL_S)
  const load = new Load({ cluster, rng: kit.rng.fork('load') }, { keys, ttlS: () => TTL_S, prefix: 'ls:', concurrency: 4, ratePerS: 40 })
  load.start()
  try {
    await delay(phaseMs / 2)
    lab.loss(LOSS_PERCENT)
    kit.history.fault(`nftables: drop ${LOSS_PERCENT}% of node-to-node packets`)
    if (kit.opts.caps.netem) {
      for (const n of nodes) spawnSync('ip', ['netns', 'exec', n.spec.netns ?? '', 'tc', 'qdisc', 'add', 'dev', 'eth0', 'root', 'netem', ...DELAY])
      kit.history.fault(`tc netem ${DELAY.join(' ')} on every node`)
    } else kit.note('delay not injected: tc netem is not available in this kernel (sch_netem); loss only (nftables)')
    await delay(phaseMs)
    lab.heal()
    if (kit.opts.caps.netem) for (const n of nodes) spawnSync('ip', ['netns', 'exec', n.spec.netns ?? '', 'tc', 'qdisc', 'del', 'dev', 'eth0', 'root'])
    kit.history.event('loss (and delay) removed')
    await delay(phaseMs / 2)
  } finally {
    await load.stop()
  }
  await readEverywhere(cluster, cluster.serving(), keys)
}

export const lossScenario: Scenario = { name: 'message-loss', needs: 'netns', run }
