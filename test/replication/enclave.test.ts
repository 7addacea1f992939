import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '../../src/testnet.js'
import { waitFor } from '../helpers/wait-for.js'
import { get, listKeys, put, statusKeys } from '../integration/helpers.js'

describe('enclaves: data scoped to the writer’s enclave, topology shared', () => {
  let net: Testnet
  beforeAll(async () => {
    net = await createTestnet(0, { replication: 3 })
    for (const enclave of ['a', 'a', 'b', 'b', 'b']) await net.add({ config: { enclave } })
    await net.waitForMesh()
  })
  afterAll(async () => {
    await net?.stop()
  })

  it('places, reads and lists a key only within its enclave while every node sees every peer', async () => {
    const [a1, a2, b1, b2, b3] = net.nodes
    const r = await put(a1.url, 'scoped/a', 'for a only', 600)
    expect(r.status).toBe(201)
    // R' = min(R, members of enclave a) = 2: both a-nodes hold it, no b-node does.
    expect(r.body.quorum).toBe(2)
    await waitFor(async () => (await statusKeys(a1.url)) === 1 && (await statusKeys(a2.url)) === 1, { timeoutMs: 5_000, what: 'both a-nodes to hold scoped/a' })
    for (const b of [b1, b2, b3]) {
      expect(await statusKeys(b.url)).toBe(0)
      expect((await get(b.url, 'scoped/a')).status).toBe(404)
      expect(await listKeys(b.url, 'scoped/')).toEqual([])
    }
    expect((await get(a2.url, 'scoped/a')).text).toBe('for a only')
    await waitFor(async () => (await listKeys(a2.url, 'scoped/')).length === 1, { timeoutMs: 5_000, what: 'a2 to list scoped/a' })

    expect((await put(b2.url, 'scoped/b', 'for b', 600)).status).toBe(201)
    expect((await get(a1.url, 'scoped/b')).status).toBe(404)
    for (const b of [b1, b2, b3]) expect((await get(b.url, 'scoped/b')).text).toBe('for b')

    for (const n of net.nodes) {
      const topo = (await (await fetch(`${n.url}/v1/topology`)).json()) as { peers: Array<{ id: string; enclave: string }> }
      expect(topo.peers.length).toBe(4)
      expect(new Set(topo.peers.map((p) => p.enclave))).toEqual(new Set(['a', 'b']))
    }
  })
})
