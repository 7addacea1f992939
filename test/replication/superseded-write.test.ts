/**
 * A replica's 'stale' answer (it holds a newer version) never confirms a write: the write path counts
 * only replicas whose current version became the written one, and reports the newest version it lost
 * to, so the facade can write again past it.
 */
import { describe, expect, it } from 'vitest'
import type { Placement, Replica } from '../../src/placement/placement.js'
import type { Announcements } from '../../src/replication/announcements.js'
import type { PushOutcome } from '../../src/replication/push-outcome.js'
import type { Pusher } from '../../src/replication/pusher.js'
import type { RetryQueue } from '../../src/replication/retry-queue.js'
import { WritePath } from '../../src/replication/write-path.js'
import type { Version } from '../../src/shared/version.js'
import type { StoredRecord } from '../../src/store/record.js'
import { rec } from '../helpers/records.js'

const REC = rec('k', Number.MAX_SAFE_INTEGER, new Uint8Array([1]))
const NEWER: Version = { hlc: REC.version.hlc + 10, node: 1 }
const NEWEST: Version = { hlc: REC.version.hlc + 20, node: 2 }

function setup(outcomes: Record<string, [PushOutcome, Version?]>) {
  const replicas: Replica[] = Object.keys(outcomes).map((p) => ({ peerId: p, self: p === 'self' }))
  const placement = { replicasFor: () => replicas, votersFor: () => undefined, everyMemberIsReplica: () => false } as unknown as Placement
  const answer = (peer: string, onStale?: (v: Version) => void): PushOutcome => {
    const [o, v] = outcomes[peer]
    if (o === 'stale' && v) onStale?.(v)
    return o
  }
  const pusher = {
    pushLocal: (_r: StoredRecord, _h: boolean, onStale?: (v: Version) => void) => answer('self', onStale),
    push: async (peer: string, _r: StoredRecord, o: { onStale?: (v: Version) => void }) => answer(peer, o.onStale),
  } as unknown as Pusher
  const announcements = { announce: () => {} } as unknown as Announcements
  const retry = { add: () => {} } as unknown as RetryQueue
  return new WritePath({ placement, pusher, retry, announcements })
}

describe('write path: stale answers', () => {
  it('is not confirmed when only one replica took the version and the others hold newer ones', async () => {
    const out = await setup({ self: ['ok'], a: ['stale', NEWER], b: ['stale', NEWEST] }).write(REC, { timeoutMs: 1_000 })
    expect(out.confirmed).toBe(1)
    expect(out.quorum).toBe(2)
    expect(out.superseded).toEqual(NEWEST)
  })

  it('is confirmed by a quorum of replicas that took it, even if one holds a newer version', async () => {
    const out = await setup({ self: ['ok'], a: ['ok'], b: ['stale', NEWER] }).write(REC, { timeoutMs: 1_000 })
    expect(out.confirmed).toBeGreaterThanOrEqual(2)
    expect(out.superseded).toBeUndefined()
  })

  it('reports the version a mesh of one already holds', async () => {
    const out = await setup({ self: ['stale', NEWER] }).write(REC, { timeoutMs: 1_000 })
    expect(out).toMatchObject({ replicas: 1, confirmed: 0, quorum: 1, superseded: NEWER })
  })
})
