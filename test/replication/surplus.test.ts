/**
 * Surplus copies between membership changes: a copy pushed here while this node is not the key's
 * replica (a writer or repairer with a lagging view) is re-checked after a short wait, handed to the
 * key's replicas and dropped, so the mesh returns to exactly R copies without waiting for a join or death.
 */
import { describe, expect, it } from 'vitest'
import type { Placement, Replica } from '../../src/placement/placement.js'
import type { PushOutcome } from '../../src/replication/push-outcome.js'
import type { Pusher } from '../../src/replication/pusher.js'
import { Rebalancer } from '../../src/replication/rebalancer.js'
import { ManualClock } from '../../src/shared/clock.js'
import { silentLogger } from '../../src/shared/logger.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import type { StoredRecord } from '../../src/store/record.js'
import { rec } from '../helpers/records.js'
import { waitFor } from '../helpers/wait-for.js'

const WAIT = 5_000

function setup(failing: string[] = [], duringPush?: (store: MemoryStore) => void) {
  const clock = new ManualClock(1_000_000)
  const store = new MemoryStore({ clock })
  store.start()
  const self: Replica = { peerId: 'self', self: true }
  const remote = (id: string): Replica => ({ peerId: id, self: false })
  const replicas = new Map<string, Replica[]>([
    ['theirs', [remote('a'), remote('b'), remote('c')]],
    ['mine', [self, remote('a'), remote('b')]],
  ])
  const placement = {
    selfId: 'self',
    everyMemberIsReplica: () => false,
    snapshot: () => [],
    replicasFor: (key: string) => replicas.get(key) ?? [],
  } as unknown as Placement
  const pushed: Array<[string, string]> = []
  let answers = 0
  const pusher = {
    push: async (peer: string, r: StoredRecord): Promise<PushOutcome> => {
      pushed.push([r.key, peer])
      await Promise.resolve()
      duringPush?.(store)
      answers++
      return failing.includes(peer) ? 'failed' : 'ok'
    },
  } as unknown as Pusher
  const rebalancer = new Rebalancer({ clock, logger: silentLogger, store, placement, pusher }, { selfId: 'self', debounceMs: 10, surplusCheckMs: 20 })
  rebalancer.start()
  const now = clock.now()
  for (const k of ['theirs', 'mine']) store.put(rec(k, now + 600_000, new Uint8Array([1, 2, 3]), { hlc: now * 65_536, node: 7 }, 600))
  return { store, rebalancer, pushed, answered: () => answers, replicas, self }
}

describe('surplus copies', () => {
  it('hands a copy this node is not a replica of to the R replicas, then drops it; keeps its own keys', async () => {
    const { store, rebalancer, pushed } = setup()
    rebalancer.noteStored('theirs')
    rebalancer.noteStored('mine')
    await waitFor(() => store.get('theirs') === undefined, { timeoutMs: WAIT, what: 'the surplus copy to be dropped' })
    expect(pushed.filter(([k]) => k === 'theirs').map(([, p]) => p)).toEqual(['a', 'b', 'c'])
    expect(pushed.some(([k]) => k === 'mine')).toBe(false)
    expect(store.get('mine')).toBeDefined()
    await rebalancer.stop()
  })

  it('keeps a newer version that landed while the old one was being handed on', async () => {
    let newer: StoredRecord | undefined
    const { store, rebalancer, answered } = setup([], (s) => {
      if (newer) return
      const cur = s.get('theirs')
      if (!cur) return
      newer = { ...cur, value: new Uint8Array([9]), size: 1, version: { hlc: cur.version.hlc + 1, node: 7 } }
      s.put(newer)
    })
    rebalancer.noteStored('theirs')
    await waitFor(() => answered() === 3 && rebalancer.surplusPending === 0, { timeoutMs: WAIT, what: 'the three replicas to answer the handoff' })
    await rebalancer.idle()
    expect(store.get('theirs')?.version).toEqual(newer?.version)
    expect([...(store.get('theirs')?.value ?? [])]).toEqual([9])
    await rebalancer.stop()
  })

  it('keeps the copy when a replica did not confirm', async () => {
    const { store, rebalancer, pushed, answered } = setup(['b'])
    rebalancer.noteStored('theirs')
    await waitFor(() => answered() === 3, { timeoutMs: WAIT, what: 'the three replicas to answer the handoff' })
    await rebalancer.idle()
    // Every push has answered; the copy stays because b did not confirm it holds the record.
    expect(pushed.map(([, p]) => p)).toEqual(['a', 'b', 'c'])
    expect(store.get('theirs')).toBeDefined()
    await rebalancer.stop()
  })

  it('keeps the copy when this node has become a replica by the time of the check', async () => {
    const { store, rebalancer, pushed, replicas, self } = setup()
    rebalancer.noteStored('theirs')
    // Our own view catches up before the check: we are a replica after all.
    replicas.set('theirs', [self, { peerId: 'a', self: false }, { peerId: 'b', self: false }])
    rebalancer.noteStored('mine') // a later arrival; the check covers both
    await waitFor(() => rebalancer.surplusPending === 0, { timeoutMs: WAIT, what: 'the surplus check' })
    await rebalancer.idle()
    expect(pushed).toEqual([])
    expect(store.get('theirs')).toBeDefined()
    await rebalancer.stop()
  })
})
