/**
 * Partitions and heal, in network namespaces: five nodes, each in its own namespace on the lab
 * bridge (standard libp2p profile: distinct addresses). Long-lived keys and some that expire during
 * the partition are written first; then nftables cuts the mesh into sides, and each side takes load
 * (writes and reads through its own nodes only). Judged:
 * - during the cut: a 201 is only right when the writer's side holds at least W of the key's R
 *   replicas (computed from the peer ids as the nodes place keys) — otherwise it must be 202;
 *   reads owe a write only when their side holds W replicas and the write was made before the cut or
 *   on their side; everything else is exempt until convergence (an AP store cannot do better);
 * - after the heal: every node must return the same, newest version of every key (and nothing for
 *   the expired ones) within CONVERGE_BOUND_MS — the time it took is the convergence time; from then
 *   on nothing is exempt; nothing expired ever reappears (never exempt).
 * Two cuts per run: {n1,n2} | {n3,n4,n5}, then {n5} alone | the rest.
 */
import { compareVersions, etagToVersion } from '../../../src/shared/version.js'
import type { Cluster } from '../cluster.js'
import type { FaultNode } from '../fault-node.js'
import { now, type Op } from '../history.js'
import { Load } from '../load.js'
import { delay, pollWithin } from '../poll.js'
import { readEverywhere, writeKeys } from '../probes.js'
import { quorumOf, replicasOf } from '../replicas.js'
import { type Kit, keysFor, type Scenario } from '../scenario.js'

const NODES = 5
const R = 3
const LONG_TTL_S = 600
const SHORT_TTL_S = 6
const CONVERGE_BOUND_MS = 30_000

interface Cut {
  sides: FaultNode[][]
  fromMs: number
  healMs: number
  convergedMs: number
}

/** Every node returns the same ETag for each key, not older than any 201 of it; expired keys: 404 everywhere. */
async function converged(cluster: Cluster, kit: Kit, live: string[], gone: string[]): Promise<{ ok: boolean; why?: string }> {
  const nodes = cluster.serving()
  const ops = await readEverywhere(cluster, nodes, [...live, ...gone])
  for (const key of gone) {
    const bad = ops.find((o) => o.key === key && o.status !== 404)
    if (bad) return { ok: false, why: `${key}: ${bad.node} answered ${bad.status}` }
  }
  for (const key of live) {
    const answers = ops.filter((o) => o.key === key)
    const etags = new Set(answers.map((o) => (o.status === 200 ? o.etag : `status ${o.status}`)))
    if (etags.size !== 1) return { ok: false, why: `${key}: ${[...etags].join(' / ')}` }
    const v = answers[0].etag ? etagToVersion(answers[0].etag) : undefined
    for (const w of kit.history.ops) {
      if (w.kind !== 'put' || w.key !== key || w.status !== 201 || !w.etag || !v) continue
      const wv = etagToVersion(w.etag)
      if (wv && compareVersions(v, wv) < 0) return { ok: false, why: `${key}: everyone has ${answers[0].etag}, older than the 201 of w${w.writeId} ${w.etag}` }
    }
  }
  return { ok: true }
}

/** Per side: operations during the cut, how many went unanswered, latency p99, PUT answers. */
function sideSummary(kit: Kit, cut: Cut): string {
  return cut.sides
    .map((side) => {
      const names = side.map((n) => n.name)
      const ops = kit.history.ops.filter((o) => names.includes(o.node) && o.invokeMs >= cut.fromMs && o.invokeMs <= now())
      const lat = ops
        .filter((o) => o.status > 0)
        .map((o) => o.completeMs - o.invokeMs)
        .sort((a, b) => a - b)
      const p99 = lat.length ? Math.round(lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))]) : 0
      const puts = ops.filter((o) => o.kind === 'put')
      const by = (st: number): number => puts.filter((o) => o.status === st).length
      return `{${names.join(',')}}: ${ops.length} ops, ${ops.filter((o) => o.status === 0).length} unanswered, p99 ${p99} ms, PUT 201 ${by(201)} / 202 ${by(202)}`
    })
    .join('; ')
}

async function run(kit: Kit): Promise<void> {
  const cluster = kit.cluster({ netns: true })
  const nodes = await cluster.start(NODES)
  const lab = cluster.lab as NonNullable<typeof cluster.lab>
  const peerOf = new Map(nodes.map((n) => [n.name, n.peerId]))
  const allPeers = nodes.map((n) => n.peerId)
  const cuts: Cut[] = []
  const sideOf = (node: string, t: number): number | undefined => {
    const c = cuts.find((x) => t >= x.fromMs && t <= x.convergedMs)
    return c?.sides.findIndex((s) => s.some((n) => n.name === node))
  }
  const sideHolds = (cut: Cut, side: number, key: string): number => {
    const reps = replicasOf(key, allPeers, R)
    return cut.sides[side].filter((n) => reps.includes(n.peerId)).length
  }
  kit.exempt = (r: Op, w: Op): boolean => {
    const cut = cuts.find((c) => r.invokeMs >= c.fromMs && r.invokeMs <= c.convergedMs)
    if (!cut || r.key === undefined) return false
    const rs = sideOf(r.node, r.invokeMs) ?? -1
    const ws = w.invokeMs < cut.fromMs ? undefined : sideOf(w.node, w.invokeMs)
    if (r.invokeMs <= cut.healMs) return !(sideHolds(cut, rs, r.key) >= quorumOf(R) && (ws === undefined || ws === rs))
    return ws !== undefined && ws !== rs
  }
  const longKeys = keysFor('pt:long:', kit.opts.quick ? 15 : 30)
  await writeKeys(cluster, kit.rng, longKeys, LONG_TTL_S)
  const layouts = kit.opts.quick
    ? [
        [
          ['n1', 'n2'],
          ['n3', 'n4', 'n5'],
        ],
      ]
    : [
        [
          ['n1', 'n2'],
          ['n3', 'n4', 'n5'],
        ],
        [['n5'], ['n1', 'n2', 'n3', 'n4']],
      ]
  const cutMs = kit.opts.quick ? 6_000 : 20_000
  const allShort: string[] = []
  for (const [i, layout] of layouts.entries()) {
    const shortKeys = keysFor(`pt:short${i}:`, 10)
    allShort.push(...shortKeys)
    await writeKeys(cluster, kit.rng, shortKeys, SHORT_TTL_S)
    const sides = layout.map((names) => names.map((nm) => nodes.find((n) => n.name === nm) as FaultNode))
    lab.partition(sides.map((s) => s.map((n) => n.spec.host)))
    const cut: Cut = { sides, fromMs: now(), healMs: Number.POSITIVE_INFINITY, convergedMs: Number.POSITIVE_INFINITY }
    cuts.push(cut)
    kit.history.fault(`partition ${layout.map((s) => `{${s.join(',')}}`).join(' | ')}`)
    const loads = sides.map((side, s) =>
      new Load(
        { cluster, rng: kit.rng.fork(`side${i}.${s}`) },
        {
          keys: [...longKeys, ...shortKeys],
          ttlS: (k) => (k.startsWith('pt:short') ? SHORT_TTL_S : LONG_TTL_S),
          prefix: 'pt:',
          concurrency: 2,
          ratePerS: 15,
          mix: { put: 30, get: 50, head: 15, list: 5 },
          nodes: () => side.filter((n) => n.state === 'running'),
        },
      ).start(),
    )
    await delay(cutMs)
    await Promise.all(loads.map((l) => l.stop()))
    const views = await Promise.all(nodes.map(async (n) => `${n.name} knows ${(await cluster.topology(n))?.peers.length ?? '?'}`))
    kit.note(`cut ${i + 1}: before the heal ${views.join(', ')} peers; ${sideSummary(kit, cut)}`)
    lab.heal()
    cut.healMs = now()
    kit.history.event('heal')
    // A 201 from a side without W of the key's replicas had no real quorum.
    for (const w of kit.history.ops) {
      if (w.kind !== 'put' || w.status !== 201 || w.key === undefined || w.invokeMs < cut.fromMs || w.invokeMs > cut.healMs) continue
      const s = sideOf(w.node, w.invokeMs) ?? -1
      const held = sideHolds(cut, s, w.key)
      if (held < quorumOf(R)) {
        kit.violation(
          'quorum_201',
          `${w.node} (side {${layout[s]?.join(',')}}) answered 201 for ${w.key} w${w.writeId} during the partition; its side holds ${held} of the key's ${R} replicas (${replicasOf(
            w.key,
            allPeers,
            R,
          )
            .map((p) => [...peerOf].find(([, v]) => v === p)?.[0])
            .join(',')})`,
          {
            key: w.key,
            node: w.node,
            excerpt: kit.history.excerpt(w.key, w.invokeMs - 500, w.completeMs + 500),
          },
        )
      }
    }
    let why = ''
    const convergedIn = await pollWithin(
      async () => {
        const shortPuts = kit.history.ops.filter((o) => o.kind === 'put' && o.key?.startsWith('pt:short'))
        const lastShort = Math.max(...shortPuts.map((p) => p.completeMs)) + SHORT_TTL_S * 1000 + kit.opts.toleranceMs
        const c = await converged(cluster, kit, longKeys, now() > lastShort ? allShort : [])
        why = c.why ?? ''
        return c.ok && now() > lastShort
      },
      { timeoutMs: CONVERGE_BOUND_MS, intervalMs: 500 },
    )
    cut.convergedMs = convergedIn === undefined ? cut.healMs + CONVERGE_BOUND_MS : cut.healMs + convergedIn
    kit.measure('converged after heal', convergedIn)
    if (convergedIn === undefined) kit.violation('not_converged', `cut ${i + 1}: not converged ${CONVERGE_BOUND_MS} ms after the heal: ${why}`)
    kit.log(`cut ${i + 1}: ${layout.map((s) => `{${s.join(',')}}`).join(' | ')} for ${cutMs} ms, converged after heal in ${convergedIn ?? '∞'} ms`)
    await readEverywhere(cluster, cluster.serving(), [...longKeys, ...allShort])
  }
}

export const partitionScenario: Scenario = { name: 'partition-heal', needs: 'netns', run }
