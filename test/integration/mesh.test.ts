import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '../../src/testnet.js'
import { waitFor } from '../helpers/wait-for.js'
import { get, listKeys, put, totalKeys } from './helpers.js'

const R = 3
const KEYS = 24

describe('a 5-node in-process mesh (R = 3)', () => {
  let net: Testnet
  const keys = Array.from({ length: KEYS }, (_, i) => `mesh/k${i}`)

  beforeAll(async () => {
    net = await createTestnet(5, { replication: R, config: { minTtlSeconds: 1 } })
    await net.waitForMesh()
  })
  afterAll(async () => {
    await net?.stop()
  })

  it('answers 201 and keeps each key on exactly R nodes', async () => {
    for (const [i, k] of keys.entries()) {
      const r = await put(net.nodes[i % net.nodes.length].url, k, `value-${i}`, 600)
      expect(r.status).toBe(201)
      expect(r.body.quorum).toBe(2)
    }
    // W = 2 answers; the third copy lands right after.
    await waitFor(async () => (await totalKeys(net)) === R * KEYS, { timeoutMs: 5_000, what: `${R * KEYS} copies in all` })
    for (const k of keys) {
      const holders = net.nodes.filter((n) => n.store?.get(k) !== undefined)
      expect(holders.length).toBe(R)
    }
  })

  it('reads every key from every node', async () => {
    for (const n of net.nodes) {
      for (const [i, k] of keys.entries()) {
        const g = await get(n.url, k)
        expect(g.status).toBe(200)
        expect(g.text).toBe(`value-${i}`)
      }
    }
  })

  it('lists the whole mesh on every node', async () => {
    for (const n of net.nodes) {
      await waitFor(async () => (await listKeys(n.url, 'mesh/')).length === KEYS, { timeoutMs: 5_000, what: `${n.name} to list ${KEYS} keys` })
    }
  })

  it('describes the mesh in status and topology: peer names, addresses, enclave, latency', async () => {
    const n = net.nodes[0]
    type Topo = { peers: Array<{ id: string; peer_id: string; addresses: string[]; enclave: string; latency_ms: number | null }> }
    let topo: Topo = { peers: [] }
    await waitFor(
      async () => {
        topo = (await (await fetch(`${n.url}/v1/topology`)).json()) as Topo
        return topo.peers.length === net.nodes.length - 1 && topo.peers.every((p) => typeof p.latency_ms === 'number')
      },
      { timeoutMs: 5_000, what: () => `every peer with a latency in ${n.name}'s topology (${JSON.stringify(topo.peers)})` },
    )
    expect(new Set(topo.peers.map((p) => p.id))).toEqual(new Set(net.nodes.slice(1).map((x) => x.name)))
    for (const p of topo.peers) {
      expect(p.addresses.length).toBeGreaterThan(0)
      expect(p.enclave).toBe('default')
    }
    const status = (await (await fetch(`${n.url}/v1/status`)).json()) as { peers: number; peer_id: string; multiaddrs: string[] }
    expect(status.peers).toBe(net.nodes.length - 1)
    expect(status.peer_id).toBe(n.peerId)
    expect(status.multiaddrs.length).toBeGreaterThan(0)
  })

  it('converges on one winner under concurrent overwrites from different nodes', async () => {
    const key = 'race/one'
    const results = await Promise.all(net.nodes.map((n, i) => put(n.url, key, `writer-${i}`, 600)))
    for (const r of results) expect([201, 202]).toContain(r.status)
    let seen: Set<string> = new Set()
    await waitFor(
      async () => {
        const reads = await Promise.all(net.nodes.map((n) => get(n.url, key)))
        seen = new Set(reads.map((g) => `${g.status} ${g.etag} ${g.text}`))
        const holders = net.nodes.map((n) => n.store?.get(key)).filter((r) => r !== undefined)
        const versions = new Set(holders.map((r) => `${r?.version.hlc}-${r?.version.node}`))
        return seen.size === 1 && versions.size === 1 && holders.length === R
      },
      { timeoutMs: 5_000, what: () => `one winner on every node (seen: ${[...seen].join(' | ')})` },
    )
  })

  it('expires a key on every replica at the same instant (± transfer time)', async () => {
    const key = 'ttl/short'
    const r = await put(net.nodes[0].url, key, 'soon gone', 2)
    expect(r.status).toBe(201)
    const expiresAt = r.body.expires_at as string | number
    const want = typeof expiresAt === 'number' ? expiresAt : Date.parse(expiresAt)
    await waitFor(() => net.nodes.filter((n) => n.store?.meta(key)).length === R, { timeoutMs: 5_000, what: `${R} copies of ${key}` })
    for (const n of net.nodes) {
      const m = n.store?.meta(key)
      if (!m) continue
      // Transfers carry the remaining lifetime: a copy never outlives the writer's instant by more than the transfer.
      expect(Math.abs(m.expiresAt - want)).toBeLessThan(250)
    }
    await waitFor(async () => (await Promise.all(net.nodes.map((n) => get(n.url, key)))).every((g) => g.status === 404), {
      timeoutMs: 5_000,
      what: `${key} to expire on every node`,
    })
    await waitFor(async () => (await Promise.all(net.nodes.map((n) => listKeys(n.url, 'ttl/')))).every((l) => l.length === 0), {
      timeoutMs: 2_000,
      what: `${key} to leave every listing`,
    })
  })

  it('shows the whole mesh listing on a node that joined after the writes, and hands it its keys', async () => {
    const late = await net.add()
    await net.waitForMesh()
    await waitFor(async () => (await listKeys(late.url, 'mesh/')).length === KEYS, { timeoutMs: 10_000, what: `${late.name} to list ${KEYS} keys` })
    // Keys it is now a replica for are handed to it; the displaced copies are dropped: still exactly R each.
    await waitFor(async () => (await totalKeys(net)) === R * (KEYS + 1), { timeoutMs: 10_000, what: `exactly ${R * (KEYS + 1)} copies after the join` })
    for (const [i, k] of keys.entries()) expect((await get(late.url, k)).text).toBe(`value-${i}`)
  })

  it('restores R copies within 10 s after a replica is killed, and reads keep working', async () => {
    const victim = net.nodes[1]
    await net.remove(victim, 'kill')
    const started = Date.now()
    await waitFor(async () => (await totalKeys(net)) === R * (KEYS + 1), { timeoutMs: 10_000, what: `R copies of every key again (${R * (KEYS + 1)})` })
    expect(Date.now() - started).toBeLessThan(10_000)
    for (const n of net.nodes) {
      for (const [i, k] of keys.entries()) expect((await get(n.url, k)).text).toBe(`value-${i}`)
    }
  })
})
