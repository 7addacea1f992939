import { describe, expect, it } from 'vitest'
import type { Placement, Replica, Voters } from '../../src/placement/placement.js'
import type { Announcements } from '../../src/replication/announcements.js'
import type { PushOutcome } from '../../src/replication/push-outcome.js'
import type { Pusher } from '../../src/replication/pusher.js'
import type { RetryQueue } from '../../src/replication/retry-queue.js'
import { WritePath } from '../../src/replication/write-path.js'
import type { StoredRecord } from '../../src/store/record.js'
import { rec } from '../helpers/records.js'

const REC = rec('k', Number.MAX_SAFE_INTEGER, new Uint8Array([1]))

/** A write over fakes: `outcomes` per replica peer id ('self' is this node); `members` = peers besides self. */
async function write(outcomes: Record<string, PushOutcome>, opts: { replication: number; members: number; voters?: Voters }) {
  const replicas: Replica[] = Object.keys(outcomes).map((p) => ({ peerId: p, self: p === 'self' }))
  const placement = {
    replicasFor: () => replicas,
    votersFor: () => opts.voters,
    everyMemberIsReplica: () => opts.members + 1 <= opts.replication,
  } as unknown as Placement
  const pusher = {
    pushLocal: () => outcomes.self,
    push: async (peer: string) => outcomes[peer],
  } as unknown as Pusher
  const announced: string[] = []
  const announcements = { announce: (m: StoredRecord) => announced.push(m.key) } as unknown as Announcements
  const retried: string[] = []
  const retry = { add: (r: StoredRecord) => retried.push(r.key) } as unknown as RetryQueue
  const out = await new WritePath({ placement, pusher, retry, announcements }).write(REC, { timeoutMs: 1_000 })
  // Let the all-answered bookkeeping (announcement, retry) run.
  await new Promise((r) => setImmediate(r))
  return { out, announced, retried }
}

describe('write path: announcements', () => {
  it('announces a write when some member is not a replica of the key', async () => {
    const { out, announced } = await write({ self: 'ok', a: 'ok', b: 'ok' }, { replication: 3, members: 3 })
    expect(out.confirmed).toBeGreaterThanOrEqual(2)
    expect(announced).toEqual(['k'])
  })

  it('does not announce when every member is a replica and all of them hold the record', async () => {
    const { out, announced, retried } = await write({ self: 'ok', a: 'ok', b: 'stale' }, { replication: 3, members: 2 })
    expect(out.confirmed).toBeGreaterThanOrEqual(2)
    expect(announced).toEqual([])
    expect(retried).toEqual([])
  })

  it('announces once all pushes answered if a replica of a mesh no larger than R does not hold it', async () => {
    const { out, announced, retried } = await write({ self: 'ok', a: 'ok', b: 'failed' }, { replication: 3, members: 2 })
    expect(out).toEqual({ replicas: 3, confirmed: 2, quorum: 2 })
    expect(announced).toEqual(['k'])
    expect(retried).toEqual(['k'])
  })
})

describe('write path: quorum after a recent loss (a death or a partition)', () => {
  it('counts W over the voters: with two of three voters lost, the one left cannot make a 201', async () => {
    // This node and b are members; the key's voters are self, x and y (x, y behind a cut). Replicas now: self, a, b.
    const { out, retried } = await write({ self: 'ok', a: 'ok', b: 'ok' }, { replication: 3, members: 2, voters: { reachable: new Set(['self']), count: 3 } })
    expect(out).toMatchObject({ confirmed: 1, quorum: 2 })
    expect(retried).toEqual([])
  })

  it('still answers 201 when W voters are reachable and accept', async () => {
    const { out } = await write({ self: 'ok', a: 'ok', b: 'failed' }, { replication: 3, members: 2, voters: { reachable: new Set(['self', 'a']), count: 3 } })
    expect(out).toMatchObject({ confirmed: 2, quorum: 2 })
  })

  it('is not a 201 alone when a lost member was a voter (a node cut off from its only peer)', async () => {
    const { out } = await write({ self: 'ok' }, { replication: 3, members: 0, voters: { reachable: new Set(['self']), count: 2 } })
    expect(out).toMatchObject({ confirmed: 1, quorum: 2 })
  })
})
