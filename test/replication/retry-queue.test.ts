/**
 * The retry queue keeps pushing a write to replicas that did not confirm it, and announces a write that
 * no replica held when it was queued (the write path had nothing to announce) once one does.
 */
import { describe, expect, it } from 'vitest'
import type { Placement } from '../../src/placement/placement.js'
import type { PushOutcome } from '../../src/replication/push-outcome.js'
import type { Pusher } from '../../src/replication/pusher.js'
import { RETRY_MIN_DELAY_MS, RetryQueue } from '../../src/replication/retry-queue.js'
import { ManualClock } from '../../src/shared/clock.js'
import { silentLogger } from '../../src/shared/logger.js'
import type { StoredRecord } from '../../src/store/record.js'
import { rec as record } from '../helpers/records.js'
import { waitFor } from '../helpers/wait-for.js'

const WAIT = 5_000

function setup(answers: Record<string, PushOutcome[]>) {
  const clock = new ManualClock(1_000_000)
  const now = clock.now()
  const rec = record('k', now + 600_000, new Uint8Array([1]), { hlc: now * 65_536, node: 1 }, 600)
  const placement = { replicasFor: () => ['a', 'b'].map((peerId) => ({ peerId, self: false })) } as unknown as Placement
  const pushes: string[] = []
  const pushed: StoredRecord[] = []
  const pusher = {
    push: async (peer: string, r: StoredRecord): Promise<PushOutcome> => {
      pushes.push(peer)
      pushed.push(r)
      return answers[peer]?.shift() ?? 'ok'
    },
  } as unknown as Pusher
  const announced: string[] = []
  const queue = new RetryQueue({ clock, logger: silentLogger, placement, pusher, announce: (r) => announced.push(r.key) }, { tickMs: 5 })
  queue.start()
  return { clock, rec, queue, pushes, pushed, announced }
}

describe('retry queue', () => {
  it('announces a write nobody held once a replica confirms it, exactly once', async () => {
    const { clock, rec, queue, pushes, announced } = setup({ a: ['failed', 'ok'], b: ['failed', 'failed', 'ok'] })
    queue.add(rec, [])
    clock.advance(RETRY_MIN_DELAY_MS)
    await waitFor(() => pushes.length === 2, { timeoutMs: WAIT, what: 'the first retry to both replicas' })
    expect(announced).toEqual([])
    clock.advance(RETRY_MIN_DELAY_MS * 2)
    await waitFor(() => pushes.length === 4, { timeoutMs: WAIT, what: 'the second retry to both replicas' })
    expect(announced).toEqual(['k'])
    clock.advance(RETRY_MIN_DELAY_MS * 4)
    await waitFor(() => queue.size === 0, { timeoutMs: WAIT, what: 'the queue to empty once b confirms' })
    expect(announced).toEqual(['k'])
    queue.stop()
  })

  it('does not announce again a write the write path already announced', async () => {
    const { clock, rec, queue, announced } = setup({})
    queue.add(rec, ['a'])
    clock.advance(RETRY_MIN_DELAY_MS)
    await waitFor(() => queue.size === 0, { timeoutMs: WAIT, what: 'the queue to empty once b confirms' })
    expect(announced).toEqual([])
    queue.stop()
  })

  it('keeps its own copy of a value that is a view into a larger buffer (a pooled request body)', async () => {
    const { clock, rec, queue, pushed } = setup({})
    const pool = Buffer.alloc(8192, 7)
    const view = pool.subarray(1024, 2048)
    queue.add({ ...rec, value: view, size: view.byteLength }, ['a'])
    pool.fill(9)
    clock.advance(RETRY_MIN_DELAY_MS)
    await waitFor(() => pushed.length === 1, { timeoutMs: WAIT, what: 'the retry push' })
    const sent = pushed[0].value
    expect(sent.buffer.byteLength).toBe(1024)
    expect(Buffer.from(sent).equals(Buffer.alloc(1024, 7))).toBe(true)
    queue.stop()
  })
})
