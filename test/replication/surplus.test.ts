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

function rec(key: string, now: number): StoredRecord {
  return { key, value: new Uint8Array([1, 2, 3]), version: { hlc: now * 65_536, node: 7 }, createdAt: now, ttlSeconds: 600, expiresAt: now + 600_000, size: 3 }
}

async function until(cond: () => boolean, deadlineMs = 5_000): Promise<boolean> {
  const end = Date.now() + deadlineMs
  while (Date.now() < end) {
    if (cond()) return true
    await new Promise((r) => setTimeout(r, 10))
  }
  return cond()
}

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
  const pusher = {
    push: async (peer: string, r: StoredRecord): Promise<PushOutcome> => {
      pushed.push([r.key, peer])
      await Promise.resolve()
      duringPush?.(store)
      return failing.includes(peer) ? 'failed' : 'ok'
    },
  } as unknown as Pusher
  const rebalancer = new Rebalancer({ clock, logger: silentLogger, store, placement, pusher }, { selfId: 'self', debounceMs: 10, surplusCheckMs: 20 })
  rebalancer.start()
  for (const k of ['theirs', 'mine']) store.put(rec(k, clock.now()))
  return { store, rebalancer, pushed, replicas, self }
}

describe('surplus copies', () => {
  it('hands a copy this node is not a replica of to the R replicas, then drops it; keeps its own keys', async () => {
    const { store, rebalancer, pushed } = setup()
    rebalancer.noteStored('theirs')
    rebalancer.noteStored('mine')
    expect(await until(() => store.get('theirs') === undefined)).toBe(true)
    expect(pushed.filter(([k]) => k === 'theirs').map(([, p]) => p)).toEqual(['a', 'b', 'c'])
    expect(pushed.some(([k]) => k === 'mine')).toBe(false)
    expect(store.get('mine')).toBeDefined()
    await rebalancer.stop()
  })

  it('keeps a newer version that landed while the old one was being handed on', async () => {
    let newer: StoredRecord | undefined
    const { store, rebalancer, pushed } = setup([], (s) => {
      if (newer) return
      const cur = s.get('theirs')
      if (!cur) return
      newer = { ...cur, value: new Uint8Array([9]), size: 1, version: { hlc: cur.version.hlc + 1, node: 7 } }
      s.put(newer)
    })
    rebalancer.noteStored('theirs')
    expect(await until(() => pushed.length === 3 && rebalancer.surplusPending === 0)).toBe(true)
    await new Promise((r) => setTimeout(r, 20))
    expect([...(store.get('theirs')?.value ?? [])]).toEqual([9])
    await rebalancer.stop()
  })

  it('keeps the copy when a replica did not confirm', async () => {
    const { store, rebalancer, pushed } = setup(['b'])
    rebalancer.noteStored('theirs')
    expect(await until(() => pushed.length === 3)).toBe(true)
    // Every push has answered; the copy stays because b did not confirm it holds the record.
    await new Promise((r) => setImmediate(r))
    expect(store.get('theirs')).toBeDefined()
    await rebalancer.stop()
  })

  it('keeps the copy when this node has become a replica by the time of the check', async () => {
    const { store, rebalancer, pushed, replicas, self } = setup()
    rebalancer.noteStored('theirs')
    // Our own view catches up before the check: we are a replica after all.
    replicas.set('theirs', [self, { peerId: 'a', self: false }, { peerId: 'b', self: false }])
    rebalancer.noteStored('mine') // a later arrival; the check covers both
    expect(await until(() => rebalancer.surplusPending === 0)).toBe(true)
    await new Promise((r) => setImmediate(r))
    expect(pushed).toEqual([])
    expect(store.get('theirs')).toBeDefined()
    await rebalancer.stop()
  })
})
