/**
 * Restoring R copies after a death must not depend on every first handoff push landing: a push the
 * new replica did not take (busy, timed out, restarting) is retried with backoff until it holds the
 * key — and not once the target is no longer a replica.
 */
import { describe, expect, it } from 'vitest'
import type { MemberPoint, Placement, Replica } from '../../src/placement/placement.js'
import type { PushOutcome } from '../../src/replication/push-outcome.js'
import type { Pusher } from '../../src/replication/pusher.js'
import { Rebalancer } from '../../src/replication/rebalancer.js'
import { systemClock } from '../../src/shared/clock.js'
import { silentLogger } from '../../src/shared/logger.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import type { StoredRecord } from '../../src/store/record.js'
import { rec } from '../helpers/records.js'
import { waitFor } from '../helpers/wait-for.js'

const point = (id: string): MemberPoint => ({ peerId: id, point: new Uint8Array([id.charCodeAt(0)]), enclave: 'default' })

/** R = 3: this node plus the first two members of the view, in view order. */
function setup(failuresOf: Record<string, number>) {
  let view: MemberPoint[] = [point('a'), point('b')]
  const placement = {
    selfId: 'self',
    snapshot: () => view,
    everyMemberIsReplica: () => false,
    replicasFor: (_key: string, o: { members?: MemberPoint[] } = {}): Replica[] => [
      { peerId: 'self', self: true },
      ...(o.members ?? view).slice(0, 2).map((m) => ({ peerId: m.peerId, self: false })),
    ],
  } as unknown as Placement
  const pushes: string[] = []
  const pusher = {
    push: async (peer: string, _r: StoredRecord): Promise<PushOutcome> => {
      pushes.push(peer)
      if ((failuresOf[peer] ?? 0) > 0) {
        failuresOf[peer]--
        return 'failed'
      }
      return 'ok'
    },
  } as unknown as Pusher
  const store = new MemoryStore({ clock: systemClock })
  store.put(rec('k', Date.now() + 600_000, new Uint8Array([1])))
  const rebalancer = new Rebalancer({ clock: systemClock, logger: silentLogger, store, placement, pusher }, { selfId: 'self', debounceMs: 1 })
  rebalancer.start()
  return {
    rebalancer,
    pushes,
    setView: (v: string[]) => {
      view = v.map(point)
    },
  }
}

describe('handoff retries', () => {
  it('pushes again to a new replica whose first pushes failed, until it holds the key', async () => {
    const { rebalancer, pushes, setView } = setup({ c: 2 })
    setView(['b', 'c']) // a died: c is the key's new replica
    rebalancer.schedule()
    await waitFor(() => pushes.filter((p) => p === 'c').length === 3 && rebalancer.repairsPending === 0, {
      timeoutMs: 5_000,
      what: () => `three pushes to c (saw ${JSON.stringify(pushes)}, ${rebalancer.repairsPending} pending)`,
    })
    await rebalancer.stop()
  })

  it('stops retrying a target that is no longer a replica of the key', async () => {
    const { rebalancer, pushes, setView } = setup({ c: 1_000 })
    setView(['b', 'c'])
    rebalancer.schedule()
    await waitFor(() => rebalancer.repairsPending === 1, { timeoutMs: 2_000, what: 'a pending repair for c' })
    setView(['b', 'd']) // c left as well: d replaces it, c must not be pushed again
    const before = pushes.filter((p) => p === 'c').length
    await waitFor(() => rebalancer.repairsPending === 0, { timeoutMs: 5_000, what: 'the repair for c to be dropped' })
    expect(pushes.filter((p) => p === 'c').length).toBeLessThanOrEqual(before + 1)
    await rebalancer.stop()
  })
})
