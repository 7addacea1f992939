/**
 * A node whose peers vanished (kill, or a partition that leaves it alone) sees a mesh of one; for the
 * next LOST_MEMBER_MEMORY_MS it must not judge a miss on its own store: what the lost members hold
 * (written through them meanwhile) is unknown, so a miss is a 503, and a write counts no quorum it
 * cannot reach (202). Before, the "mesh of one" hot path answered such a miss with a 404 at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UnavailableError } from '../../src/shared/errors.js'
import { createTestnet, type Testnet } from '../../src/testnet.js'
import { rec } from '../helpers/records.js'
import { waitFor } from '../helpers/wait-for.js'
import { get, put } from './helpers.js'

// With R = 3 a key has three voters, and a miss needs V − W + 1 = 2 of them: the survivor alone is one.
describe('a node that just lost every peer', () => {
  let net: Testnet
  beforeAll(async () => {
    net = await createTestnet(4, { replication: 3 })
    await net.waitForMesh()
  }, 60_000)
  afterAll(async () => {
    await net?.stop()
  })

  it('answers 503, not 404, for a key only the lost peer held, and 202 to a write', async () => {
    const [survivor, ...victims] = net.nodes
    if (!survivor.node || !victims[0].store) throw new Error('in-process nodes')
    // A record only a lost node holds (as if written through the others during a partition).
    const now = Date.now()
    victims[0].store.put(rec('lost/only-there', now + 600_000, 'v', { hlc: now * 65_536, node: 7 }, 600))
    for (const v of victims) await net.remove(v, 'kill')
    await waitFor(() => survivor.replicator?.peers().length === 0, { timeoutMs: 15_000, what: 'the survivor notices the loss' })

    await expect(survivor.node.get('lost/only-there')).rejects.toBeInstanceOf(UnavailableError)
    expect((await get(survivor.url, 'lost/only-there')).status).toBe(503)
    expect((await get(survivor.url, 'lost/never-written')).status).toBe(503)

    const w = await put(survivor.url, 'lost/new', 'written alone', 600)
    expect(w.status).toBe(202)
    const back = await get(survivor.url, 'lost/new')
    expect(back.status).toBe(200)
    expect(back.text).toBe('written alone')
  }, 60_000)
})
